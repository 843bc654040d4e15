//! Compiled inside the crate generated from `tests/fixtures/path_order.yaml`
//! (by `tests/tests/path_params.rs`): an operation with two or more path
//! parameters takes them by name, async and blocking.

use generated_api::search::PerformSearchPath;
use generated_api::tasks::TaskOutputDownloadPath;

#[allow(dead_code)]
async fn by_name(client: &generated_api::Client, task: &str, output: String) {
    let _ = client
        .tasks()
        .task_output_download(TaskOutputDownloadPath {
            task,
            output: &output,
        })
        .await;
    let _ = client
        .search()
        .perform_search(
            PerformSearchPath {
                dataset: "cars",
                version: "v2",
            },
            "red",
        )
        .await;
}

#[allow(dead_code)]
fn blocking(client: &generated_api::blocking::Client) {
    let _ = client
        .tasks()
        .task_output_download(TaskOutputDownloadPath {
            output: "log.txt",
            task: "t1",
        })
        .send();
}
