//! `Client::from_env`. This binary holds a single test, so changing the
//! process environment cannot race another test.

use flagright_api::{Client, Error};

#[test]
fn from_env_reads_key_and_base_url_and_explains_what_is_missing() {
    // SAFETY: this is the only test in this binary, so no other thread reads
    // or writes the environment meanwhile.
    unsafe {
        std::env::remove_var("FLAGRIGHT_API_KEY");
        std::env::remove_var("FLAGRIGHT_BASE_URL");
    }
    let err = Client::from_env().unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("FLAGRIGHT_API_KEY"), "{err}");

    // SAFETY: as above.
    unsafe { std::env::set_var("FLAGRIGHT_API_KEY", "  ") };
    let err = Client::from_env().unwrap_err();
    assert!(err.to_string().contains("empty"), "{err}");

    // SAFETY: as above.
    unsafe { std::env::set_var("FLAGRIGHT_API_KEY", "sk-env-key") };
    let client = Client::from_env().unwrap();
    assert_eq!(
        client.base_url(),
        flagright_api::Environment::default()
            .base_url()
            .trim_end_matches('/')
    );

    // SAFETY: as above.
    unsafe { std::env::set_var("FLAGRIGHT_BASE_URL", "http://127.0.0.1:9/api/") };
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:9/api");
    assert!(!format!("{client:?}").contains("sk-env-key"));

    // SAFETY: as above.
    unsafe { std::env::set_var("FLAGRIGHT_BASE_URL", "ftp://nope") };
    let err = Client::from_env().unwrap_err();
    assert!(err.to_string().contains("ftp://nope"), "{err}");
}
