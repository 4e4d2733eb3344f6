// Drives every operation the spec gained with the V1 pages beyond Albums and Web Playback
// against a running mock, through openapi-fetch and the types openapi-typescript generates
// from spec/openapi.yaml: a second client, written by other people from the same document,
// must be able to call each operation as the spec describes it and get what the spec promises.
//
// Usage: node target/openapi-fetch/drive-mock.mjs BASE_URL (e.g. http://127.0.0.1:8080/v1),
// with the mock's credentials in AMAZON_MUSIC_TOKEN and AMAZON_MUSIC_API_KEY. Prints one line
// per operation; exits 1 on the first broken promise.

import createClient from "openapi-fetch";
import type { operations, paths } from "../../target/openapi-typescript/amazon-music.js";

declare const process: {
  argv: string[];
  env: Record<string, string | undefined>;
  exitCode?: number;
};

/** The operations this script drives: the 15 of the pages other than Albums and Playback. */
const DRIVEN = [
  "getTrack",
  "getArtist",
  "getArtists",
  "getFollowedArtists",
  "getPlaylist",
  "getMyPlaylists",
  "getCurrentUser",
  "updateCurrentUser",
  "searchTracks",
  "searchAll",
  "getPodcastShow",
  "getStation",
  "getTopTracks",
  "getHomeView",
  "getRecentlyPlayedTracks",
] as const satisfies readonly (keyof operations)[];
type Driven = (typeof DRIVEN)[number];

const [baseUrl] = process.argv.slice(2);
const token = process.env.AMAZON_MUSIC_TOKEN;
const apiKey = process.env.AMAZON_MUSIC_API_KEY;
if (!baseUrl || !token || !apiKey) {
  throw new Error("usage: AMAZON_MUSIC_TOKEN=... AMAZON_MUSIC_API_KEY=... drive-mock.mjs BASE_URL");
}

const client = createClient<paths>({
  baseUrl,
  headers: { "x-api-key": apiKey, Authorization: `Bearer ${token}` },
  // The spec's lists of ids are `style: form, explode: false` (ids=a,b); the generated types
  // do not carry serialisation, and openapi-fetch explodes arrays unless told.
  querySerializer: { array: { style: "form", explode: false } },
});

function check(condition: unknown, what: string): asserts condition {
  if (!condition) {
    throw new Error(what);
  }
}

/** The body of a 200, or a failure naming the operation, the status and the error body. */
function ok<T>(id: Driven, result: { data?: T; error?: unknown; response: Response }): T {
  check(
    result.response.status === 200 && result.data !== undefined,
    `${id}: status ${result.response.status}, ${JSON.stringify(result.error)}`,
  );
  return result.data;
}

/** The error code of a refusal with the expected status. */
function refused(
  id: Driven,
  status: number,
  result: { error?: { error: { code: string } }; response: Response },
): string {
  check(result.response.status === status, `${id}: expected ${status}, got ${result.response.status}`);
  check(result.error !== undefined, `${id}: ${status} without an error body`);
  return result.error.error.code;
}

const done = new Set<Driven>();
function passed(id: Driven, detail: string): void {
  done.add(id);
  console.log(`ok   ${id}: ${detail}`);
}

async function tracks(): Promise<void> {
  const track = ok(
    "getTrack",
    await client.GET("/tracks/{id}", {
      params: { path: { id: "B076YT2CBT" }, query: { mediaType: "AUDIO" } },
    }),
  ).data.track;
  check(track.id === "B076YT2CBT" && track.title?.startsWith("Happy"), `getTrack: ${track.title}`);
  const missing = await client.GET("/tracks/{id}", { params: { path: { id: "B000000000" } } });
  check(refused("getTrack", 404, missing) === "RESOURCE_NOT_FOUND", "getTrack: unknown id");
  passed("getTrack", `${track.title}; an unknown id is 404`);
}

async function artists(): Promise<void> {
  const artist = ok(
    "getArtist",
    await client.GET("/artists/{id}", { params: { path: { id: "B01EJ9KLA6" } } }),
  ).data.artist;
  check(artist.name === "Tash Sultana", `getArtist: ${artist.name}`);
  passed("getArtist", `${artist.name}`);

  // Order kept, unknown ids left out.
  const asked = ["B000000000", "B01EJ9KLA6"];
  const several = ok(
    "getArtists",
    await client.GET("/artists", { params: { query: { ids: asked } } }),
  ).data.artists;
  check(
    several.length === 1 && several[0]?.id === "B01EJ9KLA6",
    `getArtists: ${JSON.stringify(several.map((a) => a.id))}`,
  );
  const tooMany = Array.from({ length: 101 }, () => "B01EJ9KLA6");
  const refusal = await client.GET("/artists", { params: { query: { ids: tooMany } } });
  check(refused("getArtists", 400, refusal) === "BAD_REQUEST", "getArtists: 101 ids");
  passed("getArtists", "the unknown id left out; 101 ids are 400");

  const followed = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < 500; page++) {
    const connection = ok(
      "getFollowedArtists",
      await client.GET("/me/followed/artists", { params: { query: { limit: 1, cursor } } }),
    ).data.user.followedArtists;
    check(connection.edges.length <= 1, "getFollowedArtists: more than limit");
    for (const edge of connection.edges) {
      check(!followed.has(edge.node.id), `getFollowedArtists: ${edge.node.id} twice`);
      followed.add(edge.node.id);
    }
    if (!connection.pageInfo.hasNextPage) {
      passed("getFollowedArtists", `${followed.size} artist(s), one page each`);
      return;
    }
    cursor = connection.pageInfo.token;
    check(cursor !== undefined, "getFollowedArtists: a next page without a token");
  }
  throw new Error("getFollowedArtists: no last page after 500");
}

async function playlists(): Promise<void> {
  const playlist = ok(
    "getPlaylist",
    await client.GET("/playlists/{id}", { params: { path: { id: "4a5afe86-7316" } } }),
  ).data.playlist;
  check(playlist.title === "A day of Pink Floyd", `getPlaylist: ${playlist.title}`);
  passed("getPlaylist", `${playlist.title}`);

  const first = ok(
    "getMyPlaylists",
    await client.GET("/me/playlists", { params: { query: { limit: 1 } } }),
  ).data.user.playlists;
  check(first.edges.length <= 1, "getMyPlaylists: more than limit");
  let detail = `${first.edges.length} on the first page`;
  if (first.pageInfo.hasNextPage) {
    const second = ok(
      "getMyPlaylists",
      await client.GET("/me/playlists", {
        params: { query: { limit: 1, cursor: first.pageInfo.token } },
      }),
    ).data.user.playlists;
    check(second.edges[0]?.node.id !== first.edges[0]?.node.id, "getMyPlaylists: page 2 = page 1");
    detail += ", a second page after its token";
  }
  const tooBig = await client.GET("/me/playlists", { params: { query: { limit: 101 } } });
  check(refused("getMyPlaylists", 400, tooBig) === "BAD_REQUEST", "getMyPlaylists: limit 101");
  passed("getMyPlaylists", `${detail}; limit 101 is 400`);
}

async function user(): Promise<void> {
  const me = ok("getCurrentUser", await client.GET("/me")).data.user;
  check(me.id.length > 0, "getCurrentUser: no id");
  passed("getCurrentUser", `user ${me.id}`);

  const name = `TypeScript ${Date.now()}`;
  const updated = ok(
    "updateCurrentUser",
    await client.PUT("/me", {
      body: { name, visibility: "PRIVATE", playbackVisibility: "PUBLIC" },
    }),
  ).data.updateUser;
  check(updated.name === name, `updateCurrentUser: answered ${updated.name}`);
  const again = ok("getCurrentUser", await client.GET("/me")).data.user;
  check(again.name === name, `updateCurrentUser: then read ${again.name}`);
  passed("updateCurrentUser", "the new name is answered and kept");
}

async function search(): Promise<void> {
  const first = ok(
    "searchTracks",
    await client.POST("/search/tracks", {
      body: { searchFilters: [{ query: "one more time" }], limit: 2, sortBy: "relevance" },
    }),
  ).data.searchTracks;
  check(first.edges[0]?.node.id === "B0064UPUDC", `searchTracks: first ${first.edges[0]?.node.id}`);
  let detail = "One More Time first";
  if (first.pageInfo.hasNextPage) {
    const second = ok(
      "searchTracks",
      await client.POST("/search/tracks", {
        body: { searchFilters: [{ query: "one more time" }], limit: 2, token: first.pageInfo.token },
      }),
    ).data.searchTracks;
    check(
      second.edges.every((e) => e.node.id !== "B0064UPUDC"),
      "searchTracks: the second page repeats the first",
    );
    detail += ", a second page by the body's token";
  }
  const byField = await client.POST("/search/tracks", {
    // openapi-typescript types a body field with a default as required, so limit is sent.
    body: { searchFilters: [{ field: "isrc", query: "" }], limit: 100 },
  });
  check(refused("searchTracks", 400, byField) === "BAD_REQUEST", "searchTracks: empty query");
  passed("searchTracks", `${detail}; an empty query is 400`);

  const views = ok(
    "searchAll",
    await client.GET("/search", { params: { query: { query: "one more time", limit: 3 } } }),
  ).data;
  check(views.length > 0 && views.every((v) => v._type === "View"), "searchAll: no views");
  for (const view of views) {
    for (const group of view.content.entityGroups) {
      check(group.content.entities.length <= 3, `searchAll: ${group.id} exceeds limit`);
    }
  }
  const empty = await client.GET("/search", { params: { query: { query: "" } } });
  check(refused("searchAll", 400, empty) === "BAD_REQUEST", "searchAll: empty query");
  passed("searchAll", `${views.length} view(s), at most 3 per group; an empty query is 400`);
}

async function podcastsAndStations(): Promise<void> {
  const id = "63825c25-4a0b-4389-a1cc-c72e5dc8bb7b";
  const show = ok(
    "getPodcastShow",
    await client.GET("/podcasts/shows/{id}", { params: { path: { id }, query: { limit: 1 } } }),
  ).data.podcastShow;
  check(show.title === "The Line", `getPodcastShow: ${show.title}`);
  const episodes = show.episodes;
  check(episodes !== undefined && episodes.edges.length <= 1, "getPodcastShow: episodes");
  let detail = `${show.title}`;
  if (episodes.pageInfo.hasNextPage) {
    const next = ok(
      "getPodcastShow",
      await client.GET("/podcasts/shows/{id}", {
        params: { path: { id }, query: { limit: 1, cursor: episodes.pageInfo.token } },
      }),
    ).data.podcastShow.episodes;
    check(next?.edges[0]?.node.id !== episodes.edges[0]?.node.id, "getPodcastShow: page 2 = 1");
    detail += ", episodes paged by cursor";
  }
  passed("getPodcastShow", detail);

  const station = ok(
    "getStation",
    await client.GET("/stations/{id}", { params: { path: { id: "A3QXXOBP9MU5LY" } } }),
  ).data.station;
  check(station.name === "Pop Culture Radio", `getStation: ${station.name}`);
  passed("getStation", `${station.name}`);
}

async function browseViewsPlayer(): Promise<void> {
  const top = ok(
    "getTopTracks",
    await client.GET("/browse/tracks/top", { params: { query: { limit: 2 } } }),
  ).data.topTracks;
  check(top.edges.length <= 2, "getTopTracks: more than limit");
  const tooBig = await client.GET("/browse/tracks/top", { params: { query: { limit: 21 } } });
  check(refused("getTopTracks", 400, tooBig) === "BAD_REQUEST", "getTopTracks: limit 21");
  passed("getTopTracks", `${top.edges.length} track(s); limit 21 is 400`);

  const home = ok(
    "getHomeView",
    await client.GET("/views/home", {
      params: { query: { limit: 2 }, header: { "Accept-Language": "en-US" } },
    }),
  ).data;
  check(home._type === "View" && home.content._type === "ViewContent", "getHomeView: not a view");
  for (const group of home.content.entityGroups) {
    check(group.content.entities.length <= 2, `getHomeView: ${group.id} exceeds limit`);
  }
  const elevenPerGroup = await client.GET("/views/home", { params: { query: { limit: 11 } } });
  check(refused("getHomeView", 400, elevenPerGroup) === "BAD_REQUEST", "getHomeView: limit 11");
  passed("getHomeView", `${home.content.entityGroups.length} group(s); limit 11 is 400`);

  const played = ok(
    "getRecentlyPlayedTracks",
    await client.GET("/player/recentlyPlayed", { params: { query: { limit: 60 } } }),
  ).data.user.recentTrackPlayback;
  const times = played.edges.map((e) => Date.parse(e.playedAt ?? ""));
  check(
    times.every((t, i) => !Number.isNaN(t) && (i === 0 || t <= (times[i - 1] ?? t))),
    "getRecentlyPlayedTracks: not most recent first",
  );
  const tooMany = await client.GET("/player/recentlyPlayed", { params: { query: { limit: 61 } } });
  check(refused("getRecentlyPlayedTracks", 400, tooMany) === "BAD_REQUEST", "limit 61");
  passed("getRecentlyPlayedTracks", `${played.edges.length} track(s), newest first; limit 61 is 400`);
}

try {
  await tracks();
  await artists();
  await playlists();
  await user();
  await search();
  await podcastsAndStations();
  await browseViewsPlayer();
  const skipped = DRIVEN.filter((id) => !done.has(id));
  check(skipped.length === 0, `not driven: ${skipped.join(", ")}`);
  console.log(`openapi-fetch: ${done.size} operations behave as the spec says`);
} catch (error) {
  console.error(`FAIL ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
