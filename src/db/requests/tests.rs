use super::*;
use crate::db::testutil::{
    active_request, db_with_resource, query_plan, revoke_report, time, usage_message,
};
use crate::db::{AuditEvent, EventFilter};

fn ticket(key: &str) -> TicketRef {
    TicketRef {
        key: key.into(),
        id: "10012".into(),
        url: format!("https://acme.atlassian.net/browse/{key}"),
    }
}

fn events_of(db: &Db, id: i64) -> Vec<AuditEvent> {
    db.events(&EventFilter {
        request_id: Some(id),
        ..EventFilter::default()
    })
    .expect("events")
}

fn kinds_of(db: &Db, id: i64) -> Vec<String> {
    events_of(db, id).into_iter().map(|e| e.kind).collect()
}

fn me() -> Claimant {
    Claimant {
        host: "host-a".into(),
        pid: std::process::id(),
    }
}

#[test]
fn insert_records_an_active_request_and_an_event() -> anyhow::Result<()> {
    let db = db_with_resource();
    let new = NewRequest {
        requester: "bo@acme.com".into(),
        ticket: Some(ticket("OPS-12")),
        ..active_request("prod-db")
    };
    let id = db.insert_request(&new)?;

    let request = db.request(id)?.expect("stored");
    assert_eq!(
        request,
        Request {
            id,
            resource: "prod-db".into(),
            requester: "bo@acme.com".into(),
            requested_by: "ana@acme.com".into(),
            reason: Some("INC-4 debug".into()),
            status: RequestStatus::Active,
            created_at: time("2026-12-03T17:00:00Z"),
            expires_at: Some(time("2026-12-04T01:00:00Z")),
            ticket: Some(ticket("OPS-12")),
            revoked_at: None,
            revoke_reason: None,
            error: None,
        }
    );
    let events = events_of(&db, id);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, "requested");
    assert_eq!(events[0].actor, "ana@acme.com");
    assert_eq!(
        events[0].message,
        "ana@acme.com requested prod-db for bo@acme.com until 2026-12-04T01:00:00Z (ticket OPS-12)"
    );
    assert_eq!(events[0].detail["ticket"]["key"], "OPS-12");
    assert_eq!(events[0].detail["expires_at"], "2026-12-04T01:00:00Z");
    Ok(())
}

#[test]
fn request_serializes_to_the_contract_shape() -> anyhow::Result<()> {
    let db = db_with_resource();
    let id = db.insert_request(&NewRequest {
        expires_at: None,
        ticket: Some(ticket("OPS-12")),
        ..active_request("prod-db")
    })?;
    let json = serde_json::to_value(db.request(id)?.expect("stored"))?;
    assert_eq!(
        json,
        json!({
            "id": id, "resource": "prod-db", "requester": "ana@acme.com",
            "requested_by": "ana@acme.com", "reason": "INC-4 debug", "status": "active",
            "created_at": "2026-12-03T17:00:00Z", "expires_at": null,
            "ticket": {"key": "OPS-12", "id": "10012", "url": "https://acme.atlassian.net/browse/OPS-12"},
            "revoked_at": null, "revoke_reason": null, "error": null
        })
    );
    Ok(())
}

#[test]
fn times_are_kept_to_the_second() -> anyhow::Result<()> {
    let db = db_with_resource();
    let created_at = time("2026-12-03T17:00:00.987654Z");
    let id = db.insert_request(&NewRequest {
        created_at,
        ..active_request("prod-db")
    })?;
    assert_eq!(
        db.request(id)?.map(|r| r.created_at),
        Some(time("2026-12-03T17:00:00Z"))
    );
    Ok(())
}

#[test]
fn insert_refuses_an_unknown_resource() -> anyhow::Result<()> {
    let db = db_with_resource();
    let err = db
        .insert_request(&active_request("vpn"))
        .expect_err("unknown");
    assert_eq!(usage_message(&err), "no resource named `vpn`");
    assert_eq!(crate::error::hints(&err), ["Existing resources: prod-db."]);
    assert!(
        db.list_requests(&RequestFilter {
            all: true,
            ..RequestFilter::default()
        })?
        .is_empty()
    );
    Ok(())
}

#[test]
fn insert_refuses_access_that_would_never_end() {
    let db = db_with_resource();
    let endless = NewRequest {
        expires_at: None,
        ticket: None,
        ..active_request("prod-db")
    };
    let err = db
        .insert_request(&endless)
        .expect_err("no expiry, no ticket");
    assert!(
        format!("{err:#}").contains("CHECK constraint failed"),
        "{err:#}"
    );
}

#[test]
fn insert_refuses_a_time_past_year_9999() {
    let db = db_with_resource();
    let far = chrono::DateTime::<Utc>::from_timestamp(300_000_000_000, 0).expect("year 11476");
    let err = db.insert_request(&NewRequest {
        expires_at: Some(far),
        ..active_request("prod-db")
    });
    assert!(usage_message(&err.expect_err("too far")).contains("outside the years 0000 to 9999"));
}

#[test]
fn mark_granted_logs_the_command_output() -> anyhow::Result<()> {
    let db = db_with_resource();
    let id = db.insert_request(&active_request("prod-db"))?;
    let report = HookReport {
        stdout: "granted role\n".into(),
        ..revoke_report()
    };
    db.mark_granted(id, Some(&report), time("2026-12-03T17:00:01Z"))?;

    assert_eq!(
        db.request(id)?.map(|r| r.status),
        Some(RequestStatus::Active)
    );
    let granted = events_of(&db, id).pop().expect("event");
    assert_eq!(granted.kind, "granted");
    assert_eq!(
        granted.message,
        "granted prod-db to ana@acme.com until 2026-12-04T01:00:00Z"
    );
    assert_eq!(granted.at, time("2026-12-03T17:00:01Z"));
    assert_eq!(granted.detail["hook"]["stdout"], "granted role\n");

    // A resource without a grant command has no report.
    let id = db.insert_request(&active_request("prod-db"))?;
    db.mark_granted(id, None, time("2026-12-03T17:00:01Z"))?;
    assert_eq!(events_of(&db, id)[1].detail, json!({"hook": null}));
    Ok(())
}

#[test]
fn a_failed_grant_leaves_nothing_active() -> anyhow::Result<()> {
    let db = db_with_resource();
    let id = db.insert_request(&active_request("prod-db"))?;
    db.mark_grant_failed(
        id,
        "grant command exited with status 3: no such role",
        None,
        time("2026-12-03T17:00:02Z"),
    )?;

    let request = db.request(id)?.expect("kept");
    assert_eq!(request.status, RequestStatus::Failed);
    assert_eq!(
        request.error.as_deref(),
        Some("grant command exited with status 3: no such role")
    );
    assert!(db.active_requests()?.is_empty());
    let failed = events_of(&db, id).pop().expect("event");
    assert_eq!(failed.kind, "grant_failed");
    assert_eq!(
        failed.message,
        "could not grant prod-db to ana@acme.com: grant command exited with status 3: no such role"
    );

    // A failed request cannot be granted, failed again, or bound afterwards.
    let at = time("2026-12-03T17:01:00Z");
    let err = db.mark_granted(id, None, at).expect_err("failed");
    assert_eq!(
        usage_message(&err),
        format!("request {id} is failed; only an active request can be granted")
    );
    assert!(db.mark_grant_failed(id, "again", None, at).is_err());
    assert!(db.bind_ticket(id, &ticket("OPS-1"), "ana", at).is_err());
    assert_eq!(kinds_of(&db, id), ["requested", "grant_failed"]);
    Ok(())
}

#[test]
fn unknown_ids_are_usage_errors() -> anyhow::Result<()> {
    let db = db_with_resource();
    let at = time("2026-12-03T17:00:00Z");
    assert_eq!(db.request(42)?, None);
    let err = db.mark_granted(42, None, at).expect_err("unknown");
    assert_eq!(usage_message(&err), "no request with id 42");
    assert!(
        db.claim_revoke(42, &me(), at, chrono::Duration::minutes(5))
            .is_err()
    );
    assert!(
        db.finish_revoke(42, RevokeReason::Manual, at, None, "ana", &revoke_report())
            .is_err()
    );
    Ok(())
}

#[test]
fn list_filters_and_orders_newest_first() -> anyhow::Result<()> {
    let db = db_with_resource();
    db.add_resource(
        &crate::db::Resource::new("vpn", "vpn-revoke", time("2026-12-01T00:00:00Z")),
        "admin",
    )?;
    let mut ids = Vec::new();
    for (n, (resource, key)) in [
        ("prod-db", Some("OPS-1")),
        ("vpn", None),
        ("prod-db", None),
        ("vpn", Some("OPS-1")),
    ]
    .iter()
    .enumerate()
    {
        let created_at = time("2026-12-03T10:00:00Z") + chrono::Duration::minutes(n as i64);
        ids.push(db.insert_request(&NewRequest {
            created_at,
            ticket: key.map(ticket),
            ..active_request(resource)
        })?);
    }
    let at = time("2026-12-03T12:00:00Z");
    db.claim_revoke(ids[2], &me(), at, chrono::Duration::minutes(5))?;
    db.finish_revoke(
        ids[2],
        RevokeReason::Expired,
        at,
        None,
        "reconcile",
        &revoke_report(),
    )?;

    let list = |filter: RequestFilter| -> Vec<i64> {
        db.list_requests(&filter)
            .expect("list")
            .into_iter()
            .map(|r| r.id)
            .collect()
    };
    assert_eq!(list(RequestFilter::default()), [ids[3], ids[1], ids[0]]);
    assert_eq!(
        list(RequestFilter {
            all: true,
            ..Default::default()
        }),
        [ids[3], ids[2], ids[1], ids[0]]
    );
    assert_eq!(
        list(RequestFilter {
            all: true,
            resource: Some("prod-db".into()),
            ..Default::default()
        }),
        [ids[2], ids[0]]
    );
    assert_eq!(
        list(RequestFilter {
            resource: Some("prod-db".into()),
            ..Default::default()
        }),
        [ids[0]]
    );
    assert_eq!(
        list(RequestFilter {
            ticket_key: Some("OPS-1".into()),
            ..Default::default()
        }),
        [ids[3], ids[0]]
    );
    assert_eq!(
        list(RequestFilter {
            all: true,
            limit: Some(2),
            ..Default::default()
        }),
        [ids[3], ids[2]]
    );
    assert_eq!(
        list(RequestFilter {
            resource: Some("none".into()),
            ..Default::default()
        }),
        Vec::<i64>::new()
    );

    let active: Vec<i64> = db.active_requests()?.into_iter().map(|r| r.id).collect();
    assert_eq!(active, [ids[0], ids[1], ids[3]]);
    Ok(())
}

#[test]
fn bind_ticket_sets_and_replaces_the_ticket() -> anyhow::Result<()> {
    let db = db_with_resource();
    let id = db.insert_request(&active_request("prod-db"))?;
    let at = time("2026-12-03T18:00:00Z");
    db.bind_ticket(id, &ticket("OPS-12"), "ana@acme.com", at)?;
    assert_eq!(
        db.request(id)?.and_then(|r| r.ticket),
        Some(ticket("OPS-12"))
    );

    let other = TicketRef {
        id: "10099".into(),
        ..ticket("OPS-99")
    };
    db.bind_ticket(id, &other, "ana@acme.com", at)?;
    assert_eq!(db.request(id)?.and_then(|r| r.ticket), Some(other));

    let events = events_of(&db, id);
    assert_eq!(events[1].kind, "bound");
    assert_eq!(
        events[1].message,
        format!("bound request {id} (prod-db for ana@acme.com) to OPS-12")
    );
    assert_eq!(
        events[2].message,
        format!("bound request {id} (prod-db for ana@acme.com) to OPS-99 (was OPS-12)")
    );
    assert_eq!(events[2].detail["previous"]["key"], "OPS-12");
    Ok(())
}

#[test]
fn bind_refuses_a_revoked_request() -> anyhow::Result<()> {
    let db = db_with_resource();
    let id = db.insert_request(&active_request("prod-db"))?;
    let at = time("2026-12-03T18:00:00Z");
    db.finish_revoke(id, RevokeReason::Manual, at, None, "ana", &revoke_report())?;
    let err = db
        .bind_ticket(id, &ticket("OPS-12"), "ana", at)
        .expect_err("revoked");
    assert_eq!(
        usage_message(&err),
        format!("request {id} is revoked; only an active request can be bound to a ticket")
    );
    assert_eq!(db.request(id)?.and_then(|r| r.ticket), None);
    Ok(())
}

#[test]
fn update_ticket_follows_a_moved_issue() -> anyhow::Result<()> {
    let db = db_with_resource();
    let bound = NewRequest {
        ticket: Some(ticket("OPS-12")),
        ..active_request("prod-db")
    };
    let first = db.insert_request(&bound)?;
    let second = db.insert_request(&bound)?;
    let unrelated = db.insert_request(&NewRequest {
        ticket: Some(TicketRef {
            id: "20000".into(),
            ..ticket("OPS-13")
        }),
        ..active_request("prod-db")
    })?;
    let at = time("2026-12-03T18:00:00Z");
    // History follows too.
    db.finish_revoke(
        second,
        RevokeReason::Manual,
        at,
        None,
        "ana",
        &revoke_report(),
    )?;

    let url = "https://acme.atlassian.net/browse/SEC-3";
    assert_eq!(db.update_ticket("10012", "SEC-3", url, "reconcile", at)?, 2);
    for id in [first, second] {
        let moved = db.request(id)?.and_then(|r| r.ticket).expect("bound");
        assert_eq!(
            moved,
            TicketRef {
                key: "SEC-3".into(),
                id: "10012".into(),
                url: url.into()
            }
        );
        let event = events_of(&db, id).pop().expect("event");
        assert_eq!(event.kind, "ticket_moved");
        assert_eq!(event.message, "ticket OPS-12 is now SEC-3");
    }
    assert_eq!(
        db.request(unrelated)?.and_then(|r| r.ticket).map(|t| t.key),
        Some("OPS-13".into())
    );

    // Nothing left to change: no rows, no events.
    assert_eq!(db.update_ticket("10012", "SEC-3", url, "reconcile", at)?, 0);
    assert_eq!(kinds_of(&db, first), ["requested", "ticket_moved"]);

    // A new address alone is still recorded.
    assert_eq!(
        db.update_ticket("10012", "SEC-3", "https://portal/SEC-3", "reconcile", at)?,
        2
    );
    assert_eq!(
        events_of(&db, first).pop().map(|e| e.message).as_deref(),
        Some("ticket SEC-3 has a new address https://portal/SEC-3")
    );
    Ok(())
}

#[test]
fn claim_then_finish_revokes_once() -> anyhow::Result<()> {
    let db = db_with_resource();
    let id = db.insert_request(&active_request("prod-db"))?;
    let lease = chrono::Duration::minutes(5);
    let at = time("2026-12-04T01:00:05Z");

    assert!(db.claim_revoke(id, &me(), at, lease)?);
    // Held: neither this process nor another gets it again.
    assert!(!db.claim_revoke(id, &me(), at, lease)?);
    let other = Claimant {
        host: "host-b".into(),
        pid: 4242,
    };
    assert!(!db.claim_revoke(id, &other, at, lease)?);

    let done = time("2026-12-04T01:00:07Z");
    assert!(db.finish_revoke(
        id,
        RevokeReason::Expired,
        done,
        None,
        "reconcile",
        &revoke_report()
    )?);
    let request = db.request(id)?.expect("kept");
    assert_eq!(request.status, RequestStatus::Revoked);
    assert_eq!(request.revoked_at, Some(done));
    assert_eq!(request.revoke_reason, Some(RevokeReason::Expired));
    assert!(db.active_requests()?.is_empty());

    // A second finish (another process ran the command too) changes nothing.
    let later = time("2026-12-04T02:00:00Z");
    assert!(!db.finish_revoke(
        id,
        RevokeReason::Manual,
        later,
        None,
        "ana",
        &revoke_report()
    )?);
    assert_eq!(db.request(id)?.and_then(|r| r.revoked_at), Some(done));
    // A revoked request cannot be claimed.
    assert!(!db.claim_revoke(id, &other, later, lease)?);

    assert_eq!(
        kinds_of(&db, id),
        ["requested", "revoke_started", "revoked"]
    );
    let events = events_of(&db, id);
    assert_eq!(
        events[1].message,
        "started revoking prod-db from ana@acme.com"
    );
    assert_eq!(
        events[1].actor,
        format!("host-a pid {}", std::process::id())
    );
    assert_eq!(
        events[2].message,
        "revoked prod-db from ana@acme.com (expired)"
    );
    assert_eq!(events[2].detail["hook"]["stdout"], "role dropped\n");
    Ok(())
}

#[test]
fn a_manual_revoke_keeps_its_note() -> anyhow::Result<()> {
    let db = db_with_resource();
    let id = db.insert_request(&active_request("prod-db"))?;
    let at = time("2026-12-03T18:00:00Z");
    db.claim_revoke(id, &me(), at, chrono::Duration::minutes(5))?;
    db.finish_revoke(
        id,
        RevokeReason::Manual,
        at,
        Some("left the team"),
        "bo@acme.com",
        &revoke_report(),
    )?;
    let revoked = events_of(&db, id).pop().expect("event");
    assert_eq!(
        revoked.message,
        "revoked prod-db from ana@acme.com (manual: left the team)"
    );
    assert_eq!(revoked.actor, "bo@acme.com");
    assert_eq!(revoked.detail["reason"], "manual");
    assert_eq!(revoked.detail["note"], "left the team");
    Ok(())
}

#[test]
fn a_failed_revoke_stays_active_and_can_be_retried() -> anyhow::Result<()> {
    let db = db_with_resource();
    let id = db.insert_request(&active_request("prod-db"))?;
    let lease = chrono::Duration::minutes(5);
    let at = time("2026-12-04T01:00:05Z");
    assert!(db.claim_revoke(id, &me(), at, lease)?);
    let report = HookReport {
        exit_code: Some(3),
        stderr: "db down\n".into(),
        ..revoke_report()
    };
    db.fail_revoke(
        id,
        &me(),
        "revoke command exited with status 3: db down",
        at,
        "reconcile",
        Some(&report),
    )?;

    let request = db.request(id)?.expect("kept");
    assert_eq!(request.status, RequestStatus::Active);
    assert_eq!(
        request.error.as_deref(),
        Some("revoke command exited with status 3: db down")
    );
    let failed = events_of(&db, id).pop().expect("event");
    assert_eq!(failed.kind, "revoke_failed");
    assert_eq!(
        failed.message,
        "could not revoke prod-db from ana@acme.com: revoke command exited with status 3: db down"
    );
    assert_eq!(failed.detail["hook"]["exit_code"], 3);

    // The claim was released, so the next pass (any process) claims at once.
    let other = Claimant {
        host: "host-b".into(),
        pid: 1,
    };
    assert!(db.claim_revoke(id, &other, at, lease)?);
    db.finish_revoke(
        id,
        RevokeReason::Expired,
        at,
        None,
        "reconcile",
        &revoke_report(),
    )?;
    assert_eq!(
        db.request(id)?.and_then(|r| r.error),
        None,
        "a successful revoke clears the error"
    );
    Ok(())
}

#[test]
fn fail_revoke_leaves_a_claim_it_no_longer_holds() -> anyhow::Result<()> {
    let db = db_with_resource();
    let id = db.insert_request(&active_request("prod-db"))?;
    let lease = chrono::Duration::minutes(5);
    let start = time("2026-12-04T01:00:00Z");
    let slow = Claimant {
        host: "host-b".into(),
        pid: 7,
    };
    assert!(db.claim_revoke(id, &slow, start, lease)?);
    // The slow process overran its lease and another took over.
    let later = start + lease + chrono::Duration::seconds(1);
    assert!(db.claim_revoke(id, &me(), later, lease)?);

    db.fail_revoke(
        id,
        &slow,
        "revoke command timed out after 60s",
        later,
        "reconcile",
        None,
    )?;
    let other = Claimant {
        host: "host-c".into(),
        pid: 9,
    };
    assert!(
        !db.claim_revoke(id, &other, later, lease)?,
        "the current claim must survive"
    );
    assert_eq!(db.request(id)?.and_then(|r| r.error), None);
    assert_eq!(
        events_of(&db, id).pop().map(|e| e.kind).as_deref(),
        Some("revoke_failed")
    );
    Ok(())
}

#[test]
fn a_claim_goes_stale_after_its_lease() -> anyhow::Result<()> {
    let db = db_with_resource();
    let id = db.insert_request(&active_request("prod-db"))?;
    let lease = chrono::Duration::seconds(60);
    let start = time("2026-12-04T01:00:00Z");
    let remote = Claimant {
        host: "host-b".into(),
        pid: 7,
    };
    assert!(db.claim_revoke(id, &remote, start, lease)?);

    // Exactly one lease later the claim still holds; a second after, it is stale.
    assert!(!db.claim_revoke(id, &me(), start + lease, lease)?);
    assert!(db.claim_revoke(
        id,
        &me(),
        start + lease + chrono::Duration::seconds(1),
        lease
    )?);
    Ok(())
}

#[test]
fn a_claim_by_a_dead_process_on_this_host_is_taken_over_at_once() -> anyhow::Result<()> {
    let db = db_with_resource();
    let id = db.insert_request(&active_request("prod-db"))?;
    let lease = chrono::Duration::minutes(5);
    let at = time("2026-12-04T01:00:00Z");

    // A pid that surely existed and is now gone: a child we started and reaped.
    let mut child = std::process::Command::new("true").spawn()?;
    let dead_pid = child.id();
    child.wait()?;
    let host = Claimant::current().host;
    let dead = Claimant {
        host: host.clone(),
        pid: dead_pid,
    };
    assert!(db.claim_revoke(id, &dead, at, lease)?);

    // Same pid, other host: we cannot tell whether it lives, so the lease decides.
    let elsewhere = db.insert_request(&active_request("prod-db"))?;
    assert!(db.claim_revoke(
        elsewhere,
        &Claimant {
            host: "host-b".into(),
            pid: dead_pid
        },
        at,
        lease
    )?);

    let now = at + chrono::Duration::seconds(1);
    assert!(db.claim_revoke(id, &Claimant::current(), now, lease)?);
    assert!(!db.claim_revoke(elsewhere, &Claimant::current(), now, lease)?);

    let started = events_of(&db, id).pop().expect("event");
    assert_eq!(started.detail["replaced_claim"]["pid"], i64::from(dead_pid));
    assert_eq!(started.detail["replaced_claim"]["host"], host);
    Ok(())
}

#[test]
fn a_claim_by_a_live_process_on_this_host_is_respected() -> anyhow::Result<()> {
    let db = db_with_resource();
    let id = db.insert_request(&active_request("prod-db"))?;
    let lease = chrono::Duration::minutes(5);
    let at = time("2026-12-04T01:00:00Z");
    let mut child = std::process::Command::new("sleep").arg("30").spawn()?;
    let alive = Claimant {
        host: Claimant::current().host,
        pid: child.id(),
    };
    let claimed = db.claim_revoke(id, &alive, at, lease)?;
    let taken = db.claim_revoke(
        id,
        &Claimant::current(),
        at + chrono::Duration::seconds(1),
        lease,
    );
    child.kill()?;
    child.wait()?;
    assert!(claimed);
    assert!(!taken?);
    Ok(())
}

#[test]
fn claimant_current_names_this_process() {
    let me = Claimant::current();
    assert_eq!(me.pid, std::process::id());
    assert!(!me.host.is_empty());
    assert!(process_exists(i64::from(me.pid)));
    assert!(!process_exists(0));
    assert!(!process_exists(-1));
}

#[test]
fn request_lookups_use_indexes() -> anyhow::Result<()> {
    let db = db_with_resource();
    let (sql, args) = list_query(&RequestFilter::default())?;
    assert!(query_plan(&db, &sql, &args)?.contains("requests_by_status"));
    let (sql, args) = list_query(&RequestFilter {
        all: true,
        resource: Some("x".into()),
        ..Default::default()
    })?;
    assert!(query_plan(&db, &sql, &args)?.contains("requests_by_resource"));
    let (sql, args) = list_query(&RequestFilter {
        all: true,
        ticket_key: Some("OPS-1".into()),
        ..Default::default()
    })?;
    assert!(query_plan(&db, &sql, &args)?.contains("requests_by_ticket_key"));
    let (sql, args) = list_query(&RequestFilter {
        all: true,
        limit: Some(50),
        ..Default::default()
    })?;
    assert!(query_plan(&db, &sql, &args)?.contains("requests_by_created"));
    let args = [
        Value::Text("1".into()),
        Value::Text("K".into()),
        Value::Text("u".into()),
    ];
    assert!(query_plan(&db, BY_TICKET_ID, &args)?.contains("requests_by_ticket_id"));
    Ok(())
}

#[test]
fn a_claim_from_another_pid_namespace_waits_for_its_lease() -> anyhow::Result<()> {
    let db = db_with_resource();
    let id = db.insert_request(&active_request("prod-db"))?;
    let lease = chrono::Duration::minutes(5);
    let at = time("2026-12-04T01:00:00Z");
    let mut child = std::process::Command::new("true").spawn()?;
    let dead_pid = child.id();
    child.wait()?;

    let current = Claimant::current().host;
    assert!(current.starts_with(&super::hostname()));
    if cfg!(target_os = "linux") {
        assert!(current.contains(", pid ns "), "{current}");
    }
    // A container with the same host name: its pid 'dead_pid' is not ours to check.
    let container = Claimant {
        host: format!("{} (boot 00000000, pid ns 1)", super::hostname()),
        pid: dead_pid,
    };
    assert!(db.claim_revoke(id, &container, at, lease)?);
    let soon = at + chrono::Duration::seconds(1);
    assert!(!db.claim_revoke(id, &Claimant::current(), soon, lease)?);
    let later = at + lease + chrono::Duration::seconds(1);
    assert!(db.claim_revoke(id, &Claimant::current(), later, lease)?);
    Ok(())
}

#[test]
fn limited_listings_read_in_index_order_without_sorting() -> anyhow::Result<()> {
    let db = db_with_resource();
    for all in [false, true] {
        let (sql, args) = list_query(&RequestFilter {
            all,
            limit: Some(1001),
            ..Default::default()
        })?;
        let plan = query_plan(&db, &sql, &args)?;
        // A sort would read every matching row before the first one is returned.
        assert!(!plan.contains("TEMP B-TREE"), "all={all}: {plan}");
    }
    Ok(())
}
