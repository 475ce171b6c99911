//! Vĩnh Khê's leader: lands on the dashboard with a notice of the report the district asked
//! for, follows it, sends the report and sees it recorded; then opens "Chờ phê duyệt" (the
//! specialist's two proposals), approves the first and sends the refusal back.

use crate::common::TestResult;
use crate::gestures::{sign_out, take_step};
use crate::harness::Browser;

pub async fn walk(b: &Browser) -> TestResult {
    let landed = super::land(b, super::COMMUNE_LEADER).await?;
    assert!(landed == "/" || landed.starts_with("/?"), "{landed}");
    assert_eq!(b.text("notice-count").await?, "1", "the district's request");
    b.look("leader-dashboard").await?;
    b.open_menu().await?;
    b.click("#notices a").await?;
    b.look("leader-follow-ups").await?;
    let input = b.find("#follow-ups textarea[name=\"report\"]").await?;
    input
        .send_keys("Đã số hóa bổ sung hồ sơ tồn; cán bộ một cửa được nhắc xin lỗi khi trễ hẹn.")
        .await?;
    b.click("#follow-ups form button").await?;
    let done = b.text("done").await?;
    assert!(done.starts_with("Đã gửi báo cáo khắc phục"), "{done}");
    assert!(!b.exists("#notice-count").await?, "nothing waits any more");
    b.look("leader-report-sent").await?;

    // The approval queue: the two proposals of the morning.
    b.open_menu().await?;
    b.click("nav a[href=\"/queue\"]").await?;
    b.look("leader-queue").await?;
    let waiting = super::hrefs(b, "#queue tbody a").await?;
    assert_eq!(waiting.len(), 2, "two proposals wait: {waiting:?}");
    let queue = b.text("queue").await?;
    assert!(
        queue.contains("Cấp kết quả") && queue.contains("Từ chối giải quyết"),
        "{queue}"
    );
    for path in &waiting {
        b.goto(path).await?;
        let proposal = b.text("proposal").await?;
        if proposal.starts_with("Cấp kết quả") {
            b.look("leader-proposal").await?;
            assert_eq!(take_step(b, "approve", None).await?, "Đã có kết quả");
            b.look("leader-approved").await?;
        } else {
            assert_eq!(
                take_step(
                    b,
                    "send_back",
                    Some("Ghi rõ căn cứ pháp lý của việc từ chối")
                )
                .await?,
                "Đang giải quyết"
            );
            let timeline = b.text("timeline").await?;
            assert!(
                timeline.contains("Ghi rõ căn cứ pháp lý của việc từ chối"),
                "{timeline}"
            );
            b.look("leader-sent-back").await?;
        }
    }
    b.goto("/queue").await?;
    assert!(!b.exists("#queue").await?, "nothing waits any more");
    sign_out(b).await
}
