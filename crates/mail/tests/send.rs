//! Sending through the test SMTP server: what arrives, and what happens to a bad address or a
//! server that is not there.

use rodtrad_mail::testing::{Received, TestSmtp};
use rodtrad_mail::{Mail, MailConfig, MailError, Mailer};

const FROM: &str = "Röd tråd <påminnelse@example.se>";

fn mailer(url: &str) -> Mailer {
    let config = MailConfig::parse(url, FROM).expect("a good configuration");
    Mailer::new(&config).expect("a mailer")
}

fn mail(to: &str, subject: &str, body: &str) -> Mail {
    Mail {
        to: to.to_owned(),
        subject: subject.to_owned(),
        body: body.to_owned(),
    }
}

#[tokio::test]
async fn swedish_text_arrives_intact() {
    let server = TestSmtp::start().await;
    let mails = [
        mail(
            "Åsa Öberg <asa.oberg@example.se>",
            "Påminnelse: följ upp åtgärd 3.2 före måndag",
            "Hej Åsa!\n\nÅtgärden \"Läsfrämjande i förskolan\" väntar på din uppföljning.\nSista dag: 2026-12-14.\n\n.En rad som börjar med punkt.\n\nVänliga hälsningar\nRöd tråd",
        ),
        mail(
            "lars@example.se",
            "Årsrapporten är klar",
            "Läs den på https://rodtrad.example.se/rapport/2026 – tack för ditt bidrag!",
        ),
    ];
    let results = mailer(&server.url()).send_all(&mails).await;
    assert_eq!(results, vec![Ok(()), Ok(())]);
    assert_eq!(
        server.received(),
        vec![
            Received {
                from: "påminnelse@example.se".to_owned(),
                to: vec!["asa.oberg@example.se".to_owned()],
                subject: mails[0].subject.clone(),
                body: mails[0].body.clone(),
            },
            Received {
                from: "påminnelse@example.se".to_owned(),
                to: vec!["lars@example.se".to_owned()],
                subject: mails[1].subject.clone(),
                body: mails[1].body.clone(),
            },
        ]
    );
    // The batch went over one connection (the pool), the one opened to check the server.
    assert_eq!(server.connections(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_arrives_whole_on_a_threaded_runtime() {
    let server = TestSmtp::start().await;
    let mails: Vec<Mail> = (1..=5)
        .map(|n| {
            mail(
                &format!("mottagare{n}@example.se"),
                &format!("Påminnelse {n}"),
                "Åtgärd väntar.",
            )
        })
        .collect();
    let results = mailer(&server.url()).send_all(&mails).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let subjects: Vec<String> = server.received().into_iter().map(|r| r.subject).collect();
    assert_eq!(
        subjects,
        [
            "Påminnelse 1",
            "Påminnelse 2",
            "Påminnelse 3",
            "Påminnelse 4",
            "Påminnelse 5"
        ]
    );
}

#[tokio::test]
async fn a_bad_address_fails_alone() {
    let server = TestSmtp::start().await;
    let mails = [
        mail("inte en adress", "Första", "Kommer inte fram."),
        mail("karin@example.se", "Andra", "Kommer fram."),
        mail("@example.se", "Tredje", "Kommer inte fram."),
    ];
    let results = mailer(&server.url()).send_all(&mails).await;
    assert!(
        matches!(&results[0], Err(MailError::Address { address, .. }) if address == "inte en adress"),
        "{results:?}"
    );
    assert_eq!(results[1], Ok(()));
    assert!(
        matches!(&results[2], Err(MailError::Address { address, .. }) if address == "@example.se"),
        "{results:?}"
    );
    let received = server.received();
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(received[0].to, ["karin@example.se"]);
    assert_eq!(received[0].body, "Kommer fram.");
}

#[tokio::test]
async fn only_bad_addresses_connect_to_nothing() {
    let server = TestSmtp::start().await;
    let results = mailer(&server.url())
        .send_all(&[mail("ingen", "Ämne", "Text")])
        .await;
    assert!(
        matches!(&results[..], [Err(MailError::Address { .. })]),
        "{results:?}"
    );
    assert_eq!(server.connections(), 0);
    assert_eq!(mailer(&server.url()).send_all(&[]).await, vec![]);
}

#[tokio::test]
async fn a_server_that_is_not_there_is_an_error_for_each_message() {
    // A port that was just free: bound, read, and let go.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("its address").port()
    };
    let mails = [
        mail("a@example.se", "Ett", "1"),
        mail("b@example.se", "Två", "2"),
        mail("fel", "Tre", "3"),
    ];
    let results = mailer(&format!("smtp://user:hemligt@127.0.0.1:{port}"))
        .send_all(&mails)
        .await;
    assert_eq!(results.len(), 3);
    for result in &results[..2] {
        match result {
            Err(MailError::Unreachable { server, detail }) => {
                assert_eq!(server, &format!("smtp://user:***@127.0.0.1:{port}"));
                assert!(!detail.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(
        matches!(results[2], Err(MailError::Address { .. })),
        "{results:?}"
    );
    // No password in what a caller would log.
    assert!(
        results
            .iter()
            .all(|r| !format!("{r:?}").contains("hemligt"))
    );
}

#[tokio::test]
async fn a_recipient_the_server_refuses_fails_alone() {
    let server = TestSmtp::start().await;
    server.refuse_recipient("finns.inte@example.se");
    let mails = [
        mail("a@example.se", "Ett", "1"),
        mail("Finns Inte <finns.inte@example.se>", "Två", "2"),
        mail("c@example.se", "Tre", "3"),
    ];
    let results = mailer(&server.url()).send_all(&mails).await;
    assert_eq!(results[0], Ok(()));
    match &results[1] {
        Err(MailError::Send { to, detail }) => {
            assert_eq!(to, "Finns Inte <finns.inte@example.se>");
            assert!(detail.contains("550"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(results[2], Ok(()));
    let subjects: Vec<String> = server.received().into_iter().map(|r| r.subject).collect();
    assert_eq!(subjects, ["Ett", "Tre"]);
}

#[tokio::test]
async fn starttls_is_required_when_asked_for_and_tls_is_checked() {
    // The test server offers STARTTLS but cannot do it, and does not speak TLS at all.
    let server = TestSmtp::start().await;
    for url in [
        server.url().replace("smtp://", "smtp+starttls://"),
        server.url().replace("smtp://", "smtps://"),
    ] {
        let results = mailer(&url)
            .send_all(&[mail("a@example.se", "Ämne", "Text")])
            .await;
        assert!(
            matches!(&results[..], [Err(MailError::Unreachable { .. })]),
            "{url}: {results:?}"
        );
    }
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn the_login_is_sent_percent_decoded() {
    let server = TestSmtp::start().await;
    let url = server.url().replace(
        "smtp://",
        "smtp://p%C3%A5minnelse%40example.se:h%C3%A4mligt%20ord@",
    );
    let results = mailer(&url)
        .send_all(&[mail("a@example.se", "Ämne", "Text")])
        .await;
    assert_eq!(results, vec![Ok(())]);
    assert_eq!(
        server.logins(),
        [("påminnelse@example.se".to_owned(), "hämligt ord".to_owned())]
    );
}

#[tokio::test]
async fn a_line_break_in_the_subject_makes_no_header() {
    let server = TestSmtp::start().await;
    let results = mailer(&server.url())
        .send_all(&[mail(
            "a@example.se",
            "Påminnelse\r\nBcc: b@example.se",
            "Text",
        )])
        .await;
    assert_eq!(results, vec![Ok(())]);
    let received = server.received();
    assert_eq!(received[0].to, ["a@example.se"]);
    assert_eq!(received[0].subject, "Påminnelse Bcc: b@example.se");
}

#[test]
fn sending_outside_a_runtime_is_an_error() {
    // Polled by a bare executor, not tokio: an error, not lettre's panic.
    let mailer = mailer("smtp://127.0.0.1:2525");
    let mails = [mail("a@example.se", "Ämne", "Text")];
    let results = block_on(mailer.send_all(&mails));
    assert_eq!(results, vec![Err(MailError::NoRuntime)]);
    drop(mailer);
}

/// Runs a future to its end on this thread, without tokio.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::park();
    }
}
