//! `login`, `logout`, `status`, and every API command on the stored sign-in, run as the real
//! binary against the mock's Login with Amazon emulator on `127.0.0.1:0`. The person is played
//! by the test: it reads the code the command prints and enters it on the emulator's
//! verification page, as someone would on amazon.com/code.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Output, Stdio};
use std::time::Duration;

use amazon_music_mock::{LwaConfig, MockConfig, MockServer};
use serde_json::Value;

const CLIENT_ID: &str = "mock-client-id";

/// A mock with a fast-polling emulator, and a config directory of the test's own.
struct Env {
    server: Option<MockServer>,
    runtime: tokio::runtime::Runtime,
    config: tempfile::TempDir,
}

impl Env {
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let config =
            MockConfig::default().lwa(LwaConfig::default().poll_interval(Duration::from_secs(1)));
        let server = runtime.block_on(MockServer::start(config)).unwrap();
        Self {
            server: Some(server),
            runtime,
            config: tempfile::tempdir().unwrap(),
        }
    }

    fn server(&self) -> &MockServer {
        self.server.as_ref().unwrap()
    }

    /// The binary with the sign-in settings in the environment, no token, and the test's
    /// config directory (where the sign-in is kept).
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_amazon-music"));
        command
            .args(args)
            .env_remove("AMAZON_MUSIC_TOKEN")
            .env_remove("AMAZON_MUSIC_CLIENT_SECRET")
            .env_remove("AMAZON_MUSIC_USER")
            .env_remove("NO_COLOR")
            .env("XDG_CONFIG_HOME", self.config.path())
            .env("HOME", self.config.path())
            .env("AMAZON_MUSIC_STATE_DIR", self.config.path().join("state"))
            .env("AMAZON_MUSIC_CLIENT_ID", CLIENT_ID)
            .env("AMAZON_MUSIC_LWA_URL", self.server().lwa_url())
            .env("AMAZON_MUSIC_BASE_URL", self.server().base_url())
            .env("AMAZON_MUSIC_API_KEY", "mock-api-key");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn token_file(&self) -> PathBuf {
        self.config
            .path()
            .join("amazon-music/tokens")
            .join(CLIENT_ID)
            .join("default.json")
    }

    /// Writes the token file by hand, owner-only as `login` would (a file or directory others
    /// can read is refused or warned about, whatever it holds).
    fn write_token_file(&self, content: &str) {
        let dir = self.token_file().parent().unwrap().to_owned();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(self.token_file(), content).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
            std::fs::set_permissions(self.token_file(), std::fs::Permissions::from_mode(0o600))
                .unwrap();
        }
    }

    /// Starts `args` with pipes; stderr is returned apart, to be read as it comes.
    fn spawn(&self, args: &[&str]) -> (Child, BufReader<ChildStderr>) {
        let mut child = self
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = BufReader::new(child.stderr.take().unwrap());
        (child, stderr)
    }

    /// Runs `login` with pipes, entering the code it prints on the verification page.
    fn login(&self, extra: &[&str]) -> Output {
        let (child, mut stderr) = self.spawn(&[&["login"], extra].concat());
        let prompt = read_line_containing(&mut stderr, "enter the code");
        let (url, code) = parse_prompt(&prompt);
        enter_code(&url, &code);
        finish(child, stderr)
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            let _ = self.runtime.block_on(server.shutdown());
        }
    }
}

fn read_line_containing(reader: &mut impl BufRead, needle: &str) -> String {
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).unwrap();
        assert!(
            n > 0,
            "the command ended without printing {needle:?}:\n{seen}"
        );
        if line.contains(needle) {
            return line;
        }
        seen.push_str(&line);
    }
}

/// `To sign in, open URL and enter the code CODE (valid for 10:00).`
fn parse_prompt(line: &str) -> (String, String) {
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = |word: &str| words.iter().position(|w| *w == word).unwrap() + 1;
    (words[at("open")].to_owned(), words[at("code")].to_owned())
}

/// What the person does: types the code into the verification page.
fn enter_code(url: &str, code: &str) {
    let page = reqwest::blocking::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("user_code={code}"))
        .send()
        .unwrap();
    assert!(page.status().is_success(), "{}", page.status());
}

fn finish(child: Child, mut stderr: impl Read) -> Output {
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    let mut output = child.wait_with_output().unwrap();
    output.stderr = rest.into_bytes();
    output
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&output.stdout), text(&output.stderr)))
}

/// Exit code, and stderr exactly one `error:` line holding `needle`.
fn fails_with_one_line(output: &Output, code: i32, needle: &str) {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains(needle),
        "{stderr}"
    );
}

fn stored_access_token(path: &Path) -> String {
    let file: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    file["accessToken"].as_str().unwrap().to_owned()
}

#[test]
fn login_stores_a_sign_in_that_every_command_uses_and_refreshes() {
    let env = Env::start();
    let login = env.login(&["--for-operations", "getLibraryAlbums,getAlbum"]);
    let stdout = text(&login.stdout);
    assert_eq!(
        login.status.code(),
        Some(0),
        "{stdout}{}",
        text(&login.stderr)
    );
    assert!(
        stdout.contains("scopes         music::catalog music::library::read"),
        "{stdout}"
    );
    assert!(text(&login.stderr).contains("Signed in; the sign-in is saved in"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.token_file())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let first = stored_access_token(&env.token_file());
    // Nothing printed carries a token.
    assert!(!stdout.contains(&first) && !text(&login.stderr).contains(&first));

    let status = env.run(&["status", "--json"]);
    assert_eq!(status.status.code(), Some(0));
    let report = json(&status);
    assert_eq!(report["user"], "default");
    assert_eq!(report["client_id"], CLIENT_ID);
    assert_eq!(
        report["scopes"],
        serde_json::json!(["music::catalog", "music::library::read"])
    );
    assert_eq!(report["refresh_token"], true);
    assert_eq!(report["expired"], false);
    assert_eq!(report["token_file"], env.token_file().display().to_string());
    assert!(!text(&status.stdout).contains(&first));

    let listed = env.run(&["library", "list", "--json", "-v"]);
    assert_eq!(listed.status.code(), Some(0), "{}", text(&listed.stderr));
    assert!(
        json(&listed)["albums"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
    assert!(text(&listed.stderr).contains("access token: from the stored sign-in"));

    // The hour passes: the next command refreshes, and the new token is saved.
    env.server().expire_access_tokens();
    let album = env.run(&["album", "get", "B0064UPU4G", "--json"]);
    assert_eq!(album.status.code(), Some(0), "{}", text(&album.stderr));
    assert_ne!(
        stored_access_token(&env.token_file()),
        first,
        "the refreshed token was saved"
    );

    // A scope not granted is the API's refusal, not a sign-in problem.
    let refused = env.run(&["sessions"]);
    fails_with_one_line(&refused, 1, "ACCESS_DENIED");

    // Revoked: sign in again, says the one line, with exit 3.
    env.server().revoke_refresh_tokens("mock-user");
    env.server().expire_access_tokens();
    let revoked = env.run(&["library", "list"]);
    fails_with_one_line(&revoked, 3, "sign in again");
    assert!(text(&revoked.stderr).contains("amazon-music login"));

    let logout = env.run(&["logout"]);
    assert_eq!(logout.status.code(), Some(0));
    assert!(text(&logout.stdout).starts_with("signed out: removed "));
    assert!(!env.token_file().exists());
    fails_with_one_line(&env.run(&["status"]), 3, "not signed in");
    fails_with_one_line(&env.run(&["library", "list"]), 3, "no access token");
    assert_eq!(
        text(&env.run(&["logout"]).stdout),
        format!("no sign-in was stored in {}\n", env.token_file().display())
    );
}

#[test]
fn browser_login_returns_to_the_loopback_listener() {
    let env = Env::start();
    let (child, mut stderr) = env.spawn(&["login", "--browser", "--json"]);
    read_line_containing(&mut stderr, "Open this page");
    let url = read_line_containing(&mut stderr, "/ap/oa?")
        .trim()
        .to_owned();
    // The browser: the consent page redirects back to the command's listener.
    let page = reqwest::blocking::Client::new().get(&url).send().unwrap();
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.text().unwrap().contains("Signed in"));
    let output = finish(child, stderr);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(json(&output)["client_id"], CLIENT_ID);
    assert!(env.token_file().exists());
}

#[test]
fn sign_in_problems_are_one_line_with_the_right_exit_code() {
    let env = Env::start();
    let mut stranger = env.command(&["login", "--client-id", "someone-else"]);
    fails_with_one_line(&stranger.output().unwrap(), 1, "invalid_client");
    fails_with_one_line(
        &env.run(&["login", "--scope", "music::everything"]),
        1,
        "invalid_scope",
    );
    fails_with_one_line(
        &env.run(&["login", "--for-operations", "getAlbumz"]),
        2,
        "getAlbumz",
    );
    let mut no_client = env.command(&["status"]);
    no_client.env_remove("AMAZON_MUSIC_CLIENT_ID");
    fails_with_one_line(&no_client.output().unwrap(), 2, "no client id");
    let mut insecure = env.command(&["login", "--lwa-url", "http://lwa.example"]);
    fails_with_one_line(&insecure.output().unwrap(), 2, "unencrypted");

    // A corrupt token file: named, kept, and the commands that need it say so.
    env.write_token_file("{\"format\": \"amazon-mus");
    let path = env.token_file().display().to_string();
    for args in [&["status"][..], &["library", "list"]] {
        let output = env.run(args);
        fails_with_one_line(&output, 2, &path);
        assert!(
            text(&output.stderr).contains("is cut short"),
            "{}",
            text(&output.stderr)
        );
    }
    assert!(
        env.token_file().exists(),
        "a corrupt file is not thrown away"
    );
    // A token given on purpose does not need the file.
    assert_eq!(
        env.run(&["library", "list", "--token", "mock-token"])
            .status
            .code(),
        Some(0)
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_while_waiting_for_the_code_cancels_with_130() {
    let env = Env::start();
    let (child, mut stderr) = env.spawn(&["login"]);
    let prompt = read_line_containing(&mut stderr, "enter the code");
    let (_, code) = parse_prompt(&prompt);
    // Wait for the first poll, so the signal lands while it waits for the person.
    while env.server().device_polls(&code).is_empty() {
        std::thread::yield_now();
    }
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let output = finish(child, stderr);
    assert_eq!(output.status.code(), Some(130), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).ends_with("error: sign-in cancelled\n"),
        "{}",
        text(&output.stderr)
    );
    assert!(!env.token_file().exists());
}

/// `login` on a real terminal: the prompt, the waiting spinner, the result; then `library
/// list` with the stored tokens.
#[cfg(unix)]
#[test]
fn login_in_a_terminal_then_list_the_library() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};

    let env = Env::start();
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_amazon-music"));
    command.arg("login");
    let template = env.command(&[]);
    for (key, value) in template.get_envs() {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        }
    }
    command.env("TERM", "xterm");
    let mut child = pty.slave.spawn_command(command).unwrap();
    drop(pty.slave);
    let mut screen = BufReader::new(pty.master.try_clone_reader().unwrap());
    let prompt = read_line_containing(&mut screen, "enter the code");
    let (url, code) = parse_prompt(&prompt);
    enter_code(&url, &code);
    let summary = read_line_containing(&mut screen, "token file");
    assert!(
        summary.contains(&env.token_file().display().to_string()),
        "{summary}"
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");

    let listed = env.run(&["library", "list"]);
    assert_eq!(listed.status.code(), Some(0), "{}", text(&listed.stderr));
    assert!(
        text(&listed.stdout).starts_with("ID "),
        "{}",
        text(&listed.stdout)
    );
}

/// A loopback host that counts the connections made to it and answers none: where a sign-in
/// must never go. Gives its URL and the count.
fn counting_host() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = count.clone();
    std::thread::spawn(move || {
        for connection in listener.incoming() {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(connection);
        }
    });
    (url, count)
}

fn reached(count: &std::sync::atomic::AtomicUsize) -> usize {
    count.load(std::sync::atomic::Ordering::SeqCst)
}

fn stored(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn a_stored_sign_in_is_used_with_the_hosts_it_was_made_for_only() {
    let env = Env::start();
    let login = env.login(&[]);
    assert_eq!(login.status.code(), Some(0), "{}", text(&login.stderr));
    let mock = env.server().lwa_url();
    let file = stored(&env.token_file());
    assert_eq!(file["lwaOrigin"], mock);
    assert_eq!(file["apiOrigin"], mock);
    let status = json(&env.run(&["status", "--json"]));
    assert_eq!(status["lwa_host"], mock);
    assert_eq!(status["api_host"], mock);
    let (elsewhere, count) = counting_host();

    // Allowed explicitly, another Login with Amazon URL is accepted (the token is fresh, so
    // nothing is sent to it).
    let allowed = env.run(&[
        "library",
        "list",
        "--lwa-url",
        &elsewhere,
        "--allow-other-hosts",
    ]);
    assert_eq!(allowed.status.code(), Some(0), "{}", text(&allowed.stderr));

    // The hour passes: any command now refreshes, and would send the refresh token.
    env.server().expire_access_tokens();
    let lwa_elsewhere = env.run(&["library", "list", "--lwa-url", &elsewhere]);
    fails_with_one_line(
        &lwa_elsewhere,
        2,
        &format!("Login with Amazon at {mock} (stored), not {elsewhere} (from --lwa-url)"),
    );
    assert!(text(&lwa_elsewhere.stderr).contains("--allow-other-hosts"));
    let mut from_env = env.command(&["album", "get", "B0064UPU4G"]);
    from_env.env("AMAZON_MUSIC_LWA_URL", &elsewhere);
    fails_with_one_line(
        &from_env.output().unwrap(),
        2,
        &format!("not {elsewhere} (from $AMAZON_MUSIC_LWA_URL)"),
    );
    let mut api_elsewhere = env.command(&["library", "list"]);
    api_elsewhere.env("AMAZON_MUSIC_BASE_URL", format!("{elsewhere}/v1"));
    fails_with_one_line(
        &api_elsewhere.output().unwrap(),
        2,
        &format!("the API at {mock} (stored), not {elsewhere} (from $AMAZON_MUSIC_BASE_URL)"),
    );
    assert_eq!(reached(&count), 0, "no token and no secret went elsewhere");
    assert_eq!(stored(&env.token_file()), file, "the sign-in is as it was");

    // With its own hosts, the sign-in refreshes and works.
    let listed = env.run(&["library", "list"]);
    assert_eq!(listed.status.code(), Some(0), "{}", text(&listed.stderr));
}

#[test]
fn login_does_not_replace_a_sign_in_made_for_other_hosts() {
    let env = Env::start();
    assert_eq!(env.login(&[]).status.code(), Some(0));
    let first = std::fs::read(env.token_file()).unwrap();
    let mock = env.server().lwa_url();
    let (elsewhere, count) = counting_host();

    let refused = env.run(&["login", "--lwa-url", &elsewhere]);
    fails_with_one_line(
        &refused,
        2,
        &format!("Login with Amazon at {mock} (stored), not {elsewhere} (from --lwa-url)"),
    );
    assert!(text(&refused.stderr).contains("--replace"));
    let refused = env.run(&["login", "--base-url", &format!("{elsewhere}/v1")]);
    fails_with_one_line(
        &refused,
        2,
        &format!("the API at {mock} (stored), not {elsewhere} (from --base-url)"),
    );
    assert_eq!(reached(&count), 0, "no code was asked for");
    assert_eq!(std::fs::read(env.token_file()).unwrap(), first);

    // Replacing it on purpose: a sign-in at another emulator, which then is the one stored.
    let other = env
        .runtime
        .block_on(MockServer::start(
            MockConfig::default().lwa(LwaConfig::default().poll_interval(Duration::from_secs(1))),
        ))
        .unwrap();
    let replaced = env.login(&[
        "--replace",
        "--lwa-url",
        &other.lwa_url(),
        "--base-url",
        &other.base_url(),
    ]);
    assert_eq!(
        replaced.status.code(),
        Some(0),
        "{}",
        text(&replaced.stderr)
    );
    assert_eq!(stored(&env.token_file())["lwaOrigin"], other.lwa_url());
    // And the environment's hosts (the first emulator's) are now the other ones.
    fails_with_one_line(
        &env.run(&["library", "list"]),
        2,
        &format!(
            "Login with Amazon at {} (stored), not {mock}",
            other.lwa_url()
        ),
    );
    env.runtime.block_on(other.shutdown()).unwrap();
}

#[test]
fn a_token_file_of_the_earlier_format_is_refused_and_kept() {
    let env = Env::start();
    let (elsewhere, count) = counting_host();
    let old = format!(
        r#"{{"format": "amazon-music-tokens/1", "clientId": "{CLIENT_ID}", "user": "default",
  "accessToken": "old-access", "refreshToken": "old-refresh", "expiresAt": 1,
  "scopes": ["music::catalog"]}}"#
    );
    env.write_token_file(&old);
    for args in [&["status"][..], &["library", "list"]] {
        let output = env.run(args);
        fails_with_one_line(&output, 2, "\"amazon-music-tokens/1\"");
        assert!(
            text(&output.stderr).contains("did not record which hosts"),
            "{}",
            text(&output.stderr)
        );
    }
    // Not replaced by a login without --replace, which asks for no code.
    let mut login = env.command(&["login"]);
    login.env("AMAZON_MUSIC_LWA_URL", &elsewhere);
    fails_with_one_line(&login.output().unwrap(), 2, "\"amazon-music-tokens/1\"");
    assert_eq!(reached(&count), 0);
    assert_eq!(std::fs::read_to_string(env.token_file()).unwrap(), old);
}

#[cfg(unix)]
#[test]
fn a_token_file_others_can_read_is_refused_with_the_fix() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::start();
    assert_eq!(env.login(&[]).status.code(), Some(0));
    std::fs::set_permissions(env.token_file(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = std::fs::read(env.token_file()).unwrap();
    let path = env.token_file().display().to_string();
    for args in [&["status"][..], &["library", "list"]] {
        fails_with_one_line(&env.run(args), 2, &format!("chmod 600 {path}"));
    }
    assert_eq!(std::fs::read(env.token_file()).unwrap(), before);
    let mode = std::fs::metadata(env.token_file())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o644, "left for the person to look at");

    // A directory others can list is said, once, and the command goes on.
    let dir = env.token_file().parent().unwrap().to_owned();
    std::fs::set_permissions(env.token_file(), std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let status = env.run(&["status"]);
    assert_eq!(status.status.code(), Some(0), "{}", text(&status.stderr));
    assert_eq!(
        text(&status.stderr),
        format!(
            "warning: token directory {} can be listed by other users (mode 0755): they can \
             see which sign-ins exist, not the tokens; `chmod 700` it to hide them\n",
            dir.display()
        )
    );
}

/// `login --for-operations` asks for what the new operations need, from the spec's scope
/// table, and the sign-in works for them and for nothing more.
#[test]
fn login_for_the_profile_and_history_asks_for_their_scopes_only() {
    let env = Env::start();
    let login = env.login(&[
        "--for-operations",
        "getCurrentUser,getRecentlyPlayedTracks",
        "--json",
    ]);
    assert_eq!(
        login.status.code(),
        Some(0),
        "{}{}",
        text(&login.stdout),
        text(&login.stderr)
    );
    assert_eq!(
        json(&login)["scopes"],
        serde_json::json!(["music::history", "music::profile"])
    );
    let me = env.run(&["me", "--json"]);
    assert_eq!(me.status.code(), Some(0), "{}", text(&me.stderr));
    assert!(json(&me)["id"].is_string());
    let recent = env.run(&["recent", "--json"]);
    assert_eq!(recent.status.code(), Some(0), "{}", text(&recent.stderr));
    // The catalog was not asked for: the API refuses a search.
    fails_with_one_line(&env.run(&["search", "one more time"]), 1, "ACCESS_DENIED");
}
