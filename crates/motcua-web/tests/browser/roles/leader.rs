//! Vĩnh Khê's leader: lands on the dashboard with a notice of the report the district asked
//! for, follows it, sends the report and sees it recorded.

use crate::common::TestResult;
use crate::gestures::sign_out;
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
    sign_out(b).await
}
