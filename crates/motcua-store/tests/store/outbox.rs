//! The outbox's delivery bookkeeping on both databases: a due message is claimed once
//! however many nodes ask, a failed one comes back when its retry is due, and the eighth
//! failure gives it up with its last error.

use motcua_core::Timestamp;
use motcua_core::outbox::{Channel, Message};
use motcua_store::{Failure, MAX_SEND_ATTEMPTS, OutboxOverview, SqlStore};
use motcua_testkit::{TestResult, for_each_db};

fn at(minutes: i64) -> Timestamp {
    // 3 December 2026, 08:00 UTC, plus `minutes`.
    Timestamp::from_micros(1_796_284_800_000_000 + minutes * 60_000_000)
}

fn sms(to: &str) -> Message {
    Message {
        channel: Channel::Sms,
        to: to.to_owned(),
        subject: String::new(),
        body: "Hồ sơ HO-XA-261203-0001 đã được tiếp nhận.".to_owned(),
    }
}

#[tokio::test]
async fn a_due_message_is_claimed_once_oldest_first() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let other_node = SqlStore::connect(&db.url).await?;
        store.enqueue_messages(&[sms("0911111111")], at(0)).await?;
        store.enqueue_messages(&[sms("0922222222")], at(1)).await?;
        store.enqueue_messages(&[sms("0933333333")], at(30)).await?;
        // Not due yet.
        assert!(
            store
                .claim_due_messages(at(-1), at(9), 10)
                .await?
                .is_empty()
        );
        let first = store.claim_due_messages(at(2), at(12), 10).await?;
        let to: Vec<&str> = first.iter().map(|m| m.message.to.as_str()).collect();
        assert_eq!(to, ["0911111111", "0922222222"], "{}", db.backend);
        assert_eq!(first[0].attempts, 0);
        assert_eq!(first[0].message, sms("0911111111"));
        // Another node asking at the same time gets none of them while the lease holds.
        assert!(
            other_node
                .claim_due_messages(at(2), at(12), 10)
                .await?
                .is_empty()
        );
        assert!(
            other_node
                .claim_due_messages(at(11), at(21), 10)
                .await?
                .is_empty()
        );
        // A lease that ended without a mark (its node died): due again, once, and the limit
        // holds.
        let one = other_node.claim_due_messages(at(13), at(23), 1).await?;
        assert_eq!(one.len(), 1, "{}", db.backend);
        assert_eq!(one[0].message.to, "0911111111");
        let rest = store.claim_due_messages(at(13), at(23), 10).await?;
        let to: Vec<&str> = rest.iter().map(|m| m.message.to.as_str()).collect();
        assert_eq!(to, ["0922222222"], "{}", db.backend);
        // The third when it is due (the other two were sent).
        store.mark_sent(one[0].id, at(14)).await?;
        store.mark_sent(rest[0].id, at(14)).await?;
        let third = store.claim_due_messages(at(30), at(40), 10).await?;
        assert_eq!(third.len(), 1);
        assert_eq!(third[0].message.to, "0933333333");
        store.close().await?;
        other_node.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_sent_message_is_never_claimed_again() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        store.enqueue_messages(&[sms("0911111111")], at(0)).await?;
        let claimed = store.claim_due_messages(at(0), at(10), 10).await?;
        store.mark_sent(claimed[0].id, at(0)).await?;
        assert!(
            store
                .claim_due_messages(at(100), at(110), 10)
                .await?
                .is_empty()
        );
        assert_eq!(
            store.outbox_overview().await?,
            OutboxOverview {
                pending: 0,
                sent: 1,
                given_up: 0
            }
        );
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_failed_message_is_retried_then_given_up_with_its_last_error() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        store.enqueue_messages(&[sms("0911111111")], at(0)).await?;
        let mut now = 0;
        for attempt in 1..=MAX_SEND_ATTEMPTS {
            let claimed = store.claim_due_messages(at(now), at(now + 10), 1).await?;
            assert_eq!(claimed.len(), 1, "attempt {attempt} on {}", db.backend);
            assert_eq!(claimed[0].attempts, attempt - 1);
            let retry = now + 5;
            let failure = store
                .mark_failed(claimed[0].id, &format!("lỗi lần {attempt}"), at(retry))
                .await?;
            let expected = if attempt == MAX_SEND_ATTEMPTS {
                Failure::GivenUp
            } else {
                Failure::Retry
            };
            assert_eq!(failure, expected, "attempt {attempt}");
            // Not due again before its retry.
            assert!(
                store
                    .claim_due_messages(at(retry - 1), at(retry), 1)
                    .await?
                    .is_empty()
            );
            now = retry;
        }
        // Given up: never claimed again, its last error kept.
        let later = store
            .claim_due_messages(at(100_000), at(100_010), 10)
            .await?;
        assert!(later.is_empty(), "{}", db.backend);
        let given_up = store.given_up_messages(10).await?;
        assert_eq!(given_up.len(), 1);
        assert_eq!(given_up[0].0.to, "0911111111");
        assert_eq!(given_up[0].1, format!("lỗi lần {MAX_SEND_ATTEMPTS}"));
        let overview = store.outbox_overview().await?;
        assert_eq!(overview.given_up, 1);
        assert_eq!(overview.sent, 0);
        store.close().await?;
        Ok(())
    })
    .await
}
