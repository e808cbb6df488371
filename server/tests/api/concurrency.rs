//! Many people at once: parallel saves, two evaluators on one item, every read
//! with a tiny pool, a burst of sign-ins, and a session ended mid-request.

use crate::db_test;
use crate::helpers::{stream_of, Client, TestApp, PASSWORD};
use futures_util::future::join_all;
use reqwest::StatusCode;

async fn izin(app: &TestApp) -> String {
    app.assessment_of("DIT-IZIN").await
}

db_test!(
    thirty_parallel_saves_by_one_member_all_succeed_and_each_is_audited,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let notes: Vec<String> = (0..30).map(|n| format!("catatan {n}")).collect();
        let saves = notes.iter().map(|note| {
            let (unit, id) = (&unit, &id);
            async move {
                unit.call(
                    "assessments/answers",
                    &[
                        ("assessment", id.as_str()),
                        ("value[P.MP.i.a]", "Ya"),
                        ("note[P.MP.i.b]", note.as_str()),
                    ],
                )
                .await
            }
        });
        let replies = join_all(saves).await;
        for reply in &replies {
            assert_eq!(reply.status, StatusCode::OK, "{reply}");
        }
        let audited = app
            .count(
                "SELECT COUNT(*) FROM audit_log WHERE entity = 'answer' AND entity_id LIKE $1",
                &[&format!("{id}/%")],
            )
            .await;
        let changed: i64 = replies
            .iter()
            .map(|r| r.json()["changed"].as_i64().unwrap_or(0))
            .sum();
        assert_eq!(audited, changed, "every change has its audit line");
        assert!(changed >= 30, "each save changed its note: {changed}");
    }
);

db_test!(
    many_members_saving_at_once_never_see_a_server_error,
    |app| async move {
        let id = izin(&app).await;
        let mut clients = Vec::new();
        for _ in 0..8 {
            clients.push(app.signed_in("unit").await);
        }
        let items = [
            "P.MP.i.a",
            "P.MP.ii.a",
            "P.TT.i.a",
            "P.SDM.i.a",
            "P.AK.i.a",
            "P.PW.i.a",
        ];
        let saves = (0..48).map(|n| {
            let client = &clients[n % clients.len()];
            let item = items[n % items.len()];
            let field = format!("note[{item}]");
            let note = format!("simpan {n}");
            let id = id.clone();
            async move {
                client
                    .call(
                        "assessments/answers",
                        &[("assessment", id.as_str()), (field.as_str(), note.as_str())],
                    )
                    .await
            }
        });
        for reply in join_all(saves).await {
            assert_eq!(reply.status, StatusCode::OK, "{reply}");
        }
    }
);

db_test!(
    two_evaluators_saving_one_item_at_once_get_one_save_and_one_conflict,
    |app| async move {
        let id = app.assessment_of("BDK-MDN").await;
        let admin = app.signed_in("admin").await;
        let first = app.signed_in("tpi").await;
        let second = crate::review::second_evaluator(&app, &admin).await;
        crate::review::assign(&admin, &app, &id, "tpi2", false).await;
        for round in 0..20 {
            let version = round.to_string();
            let save = |client: &Client, note: String| {
                let (id, version) = (id.clone(), version.clone());
                let client = client.clone();
                async move {
                    client
                        .call(
                            "review/save",
                            &[
                                ("assessment", id.as_str()),
                                ("item", "P.MP.i.a"),
                                ("version", version.as_str()),
                                ("note", note.as_str()),
                            ],
                        )
                        .await
                }
            };
            let (a, b) = tokio::join!(
                save(&first, format!("tpi {round}")),
                save(&second, format!("tpi2 {round}"))
            );
            let mut statuses = [a.status, b.status];
            statuses.sort();
            assert_eq!(
                statuses,
                [StatusCode::OK, StatusCode::CONFLICT],
                "round {round}: {a} / {b}"
            );
        }
    }
);

db_test!(
    every_read_answers_with_a_pool_of_two_connections,
    settings = |s| s.db_pool = 2,
    |app| async move {
        let id = app.assessment_of("BDK-MDN").await;
        let tpi = app.signed_in("tpi").await;
        let leader = app.signed_in("pimpinan").await;
        let unit = app.signed_in("medan").await;
        let calls = (0..10).flat_map(|_| {
            [
                (tpi.clone(), "api", "review/queue"),
                (tpi.clone(), "api", "assessments/get"),
                (unit.clone(), "api", "assessments/mine"),
                (leader.clone(), "api", "dashboard/get"),
                (tpi.clone(), "page", "/"),
                (tpi.clone(), "page", "review"),
                (unit.clone(), "page", "area"),
                (leader.clone(), "page", "/dashboard"),
            ]
        });
        let requests = calls.map(|(client, kind, target)| {
            let id = id.clone();
            async move {
                match (kind, target) {
                    ("api", endpoint) => client.call(endpoint, &[("id", id.as_str())]).await,
                    (_, "review") => client.get(&format!("/review/{id}")).await,
                    (_, "area") => client.get(&format!("/assessments/{id}/pemenuhan/1")).await,
                    (_, path) => client.get(path).await,
                }
            }
        });
        for reply in join_all(requests).await {
            assert_eq!(reply.status, StatusCode::OK, "{reply}");
        }
        let ready = app.client().get("/readyz").await;
        assert_eq!(ready.status, StatusCode::OK, "{ready}");
    }
);

db_test!(
    the_first_pages_of_a_fresh_server_render_concurrently,
    |app| async move {
        // Each test starts its own server, so this runs against a fresh one; a
        // page title read after its page was disposed used to panic mid-stream.
        let id = app.assessment_of("BDK-MDN").await;
        let unit = app.signed_in("medan").await;
        let tpi = app.signed_in("tpi").await;
        for round in 0..3 {
            let pages = (0..16).flat_map(|_| {
                [
                    (app.client(), "/login".to_owned()),
                    (unit.clone(), "/login".to_owned()),
                    (unit.clone(), "/".to_owned()),
                    (unit.clone(), format!("/assessments/{id}")),
                    (unit.clone(), format!("/assessments/{id}/pemenuhan/1")),
                    (tpi.clone(), format!("/review/{id}/reform/2")),
                ]
            });
            let replies = join_all(
                pages.map(|(client, path)| async move { (client.get(&path).await, path) }),
            );
            for (reply, path) in replies.await {
                assert!(
                    reply.status == StatusCode::OK || reply.status == StatusCode::SEE_OTHER,
                    "round {round}, {path}: {reply}"
                );
                assert!(
                    !reply.body.contains("panicked"),
                    "round {round}, {path}: {reply}"
                );
            }
        }
    }
);

db_test!(
    a_burst_of_anonymous_sign_ins_is_answered_without_taking_the_memory,
    |app| async move {
        // Its own process: the memory read is the server's alone, and the
        // password queue is not shared with the other tests' sign-ins.
        let server = app.serve_process(&[("ZI_LOGIN_MAX_FAILURES_ADDRESS", "10000")]);
        let before = server.resident_bytes();
        let attempts = (0..300).map(|n| {
            let client = server.client();
            async move {
                client
                    .login(&format!("tidak-ada-{n}"), "salah-sekali")
                    .await
            }
        });
        let replies = join_all(attempts).await;
        for reply in &replies {
            assert!(
                [StatusCode::UNAUTHORIZED, StatusCode::SERVICE_UNAVAILABLE].contains(&reply.status),
                "{reply}"
            );
            if reply.status == StatusCode::SERVICE_UNAVAILABLE {
                assert_eq!(reply.error(), "busy");
                assert!(reply.header("retry-after").is_some(), "{reply}");
            }
        }
        let checked = replies
            .iter()
            .filter(|reply| reply.status == StatusCode::UNAUTHORIZED)
            .count();
        assert!(checked >= 2, "some sign-ins were checked, not all refused");
        let grown = server.resident_bytes().saturating_sub(before);
        if before > 0 {
            assert!(
                grown < 150 * 1024 * 1024,
                "memory grew by {} MiB during the burst",
                grown / (1024 * 1024)
            );
        }
        // Right after the burst, the real user still signs in.
        let member = server.client();
        let reply = member.login("unit", PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(member.whoami().await.as_deref(), Some("unit"));
    }
);

db_test!(
    a_session_ended_while_one_of_its_requests_is_in_flight_stays_ended,
    |app| async move {
        let thief = app.signed_in("unit").await;
        let id = izin(&app).await;
        let admin = app.signed_in("admin").await;
        let victim = app.user_id("unit").await;

        // A slow upload keeps one of the stolen session's requests open…
        let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
        let body = reqwest::Body::wrap_stream(stream_of(receiver));
        let boundary = "zi-boundary";
        let head = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"item\"\r\n\r\nP.MP.i.a\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"sk.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n"
        );
        let request = thief
            .http
            .post(thief.url(&format!("/assessments/{id}/evidence")))
            .header("accept", "application/json")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send();
        let in_flight = tokio::spawn(request);
        sender.send(Ok(head.into_bytes())).await.expect("send head");
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;

        // …while the administrator resets the password, which ends every session.
        let reset = admin
            .call(
                "users/password",
                &[
                    ("id", victim.as_str()),
                    ("password", "baru-sekali-2026"),
                    ("confirm", "baru-sekali-2026"),
                ],
            )
            .await;
        assert_eq!(reset.status, StatusCode::OK, "{reset}");

        sender
            .send(Ok(format!("%%EOF\r\n--{boundary}--\r\n").into_bytes()))
            .await
            .expect("send tail");
        drop(sender);
        let finished = in_flight.await.expect("task").expect("response");
        assert!(finished.status().is_client_error() || finished.status().is_success());

        assert_eq!(
            thief.whoami().await,
            None,
            "the stolen session did not come back"
        );
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM sessions WHERE user_id = $1",
                &[&victim]
            )
            .await,
            0
        );
    }
);
