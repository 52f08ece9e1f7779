"""The door, in a real browser: Chromium's fake camera shows a ticket's QR, a USB scanner types a
code, staff search by name, and the network drops and comes back."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from sosialisasi.checkin.models import CheckIn, CheckInMethod
from sosialisasi.common.types import utcnow
from sosialisasi.events.models import EventStatus
from tests.conftest import PASSWORD
from tests.e2e.y4m import camera_args, write_y4m

pytestmark = pytest.mark.e2e


def rows(db, registration=None) -> int:
    db.session.expire_all()
    stmt = select(func.count(CheckIn.id))
    if registration is not None:
        stmt = stmt.where(CheckIn.registration_id == registration.id)
    count = db.session.scalar(stmt)
    db.session.rollback()  # end the read so the server's writes stay visible
    return count


@pytest.fixture()
def door(db, make_event, make_unit, make_person, make_registration, make_user):
    """A running event, two registered officials, and a door staff member assigned to it."""
    starts = utcnow().replace(microsecond=0) - timedelta(minutes=5)
    event = make_event(starts_at=starts, hours=3, status=EventStatus.RUNNING)
    dinkes = make_unit("Dinas Kesehatan")
    disdik = make_unit("Dinas Pendidikan")
    siti = make_registration(event, make_person("Dr. Siti Aminah", unit=dinkes))
    budi = make_registration(
        event, make_person("Budi Santoso", unit=disdik, nip="198001012005011002")
    )
    staff = make_user("checkin_staff", name="Petugas Pintu")
    event.staff = [staff]
    db.session.commit()
    return {"event": event, "siti": siti, "budi": budi, "staff": staff}


def open_scanner(browser, live_server, door, user=None, before_scanner=None, **context_kw):
    """Sign in and open the scanner; ``before_scanner(page)`` runs before the scanner page loads
    (to record its requests or throttle its network from the very first scan)."""
    context = browser.new_context(
        locale="id-ID", viewport={"width": 390, "height": 844}, **context_kw
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server}/masuk")
    page.get_by_label("Nama pengguna").fill((user or door["staff"]).username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server}/beranda")
    if before_scanner is not None:
        before_scanner(page)
    page.goto(f"{live_server}/registrasi-ulang/{door['event'].id}")
    page.get_by_text("Tersimpan di perangkat: 2 peserta").wait_for(timeout=45_000)
    return context, page


def test_camera_scan_green_then_yellow_when_shown_again(
    db, live_server, launch_browser, door, tmp_path
):
    siti = door["siti"]
    url = f"{live_server}/t/{siti.ticket_code}"
    # The ticket in view for 2 s, then an empty view for 4 s, looping: shown, taken away, shown.
    video = write_y4m(tmp_path / "ticket.y4m", [(url, 20), (None, 40)])
    browser = launch_browser(camera_args(video))
    context, page = open_scanner(browser, live_server, door, permissions=["camera"])
    try:
        overlay = page.locator("#result")
        page.locator('#result[data-result="ok"]').wait_for(state="visible", timeout=20_000)
        assert overlay.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(25, 135, 84)"
        assert overlay.locator("#result-name").inner_text() == "Dr. Siti Aminah"
        assert overlay.locator("#result-unit").inner_text() == "Dinas Kesehatan"
        assert rows(db, siti) == 1  # the green answer is shown while the database holds it
        row = db.session.scalar(select(CheckIn))
        assert row.method is CheckInMethod.QR
        assert row.operator_id == door["staff"].id
        db.session.rollback()

        # Still in view on the next frames: not scanned again. Shown again later: yellow.
        page.locator('#recent li[data-result="already"]').wait_for(timeout=20_000)
        assert page.locator('#recent li[data-result="ok"]').count() == 1
        assert page.locator("#recent").get_by_text("Dr. Siti Aminah").first.is_visible()
        assert rows(db) == 1
        assert page.locator("#counter").inner_text() == "1 / 2"
        # Without a native BarcodeDetector (Chromium on Linux), the vendored zxing-wasm decoded it.
        native = page.evaluate(
            "async () => 'BarcodeDetector' in window &&"
            " (await BarcodeDetector.getSupportedFormats()).includes('qr_code')"
        )
        decoder = page.locator("#scanner").get_attribute("data-decoder")
        assert decoder == ("native" if native else "zxing-wasm")
    finally:
        context.close()


def test_usb_scanner_and_manual_search(
    db, live_server, launch_browser, door, make_registration, make_person
):
    browser = launch_browser(["--use-fake-ui-for-media-stream"])
    context, page = open_scanner(browser, live_server, door)
    try:
        siti, budi = door["siti"], door["budi"]
        # A keyboard-wedge scanner types into the focused field and presses Enter.
        page.keyboard.type(f"{live_server}/t/{siti.ticket_code}")
        page.keyboard.press("Enter")
        page.locator('#result[data-result="ok"]').wait_for(state="visible")
        assert page.locator("#result-name").inner_text() == "Dr. Siti Aminah"
        assert rows(db, siti) == 1
        # The same ticket again at once: the same scan (issue 13), its answer shown again and
        # nothing sent.
        page.locator("#code").fill(siti.ticket_code)
        page.locator("#code").press("Enter")
        page.wait_for_selector('#scanner[data-repeats="1"]', state="attached")
        assert page.locator("#result").get_attribute("data-result") == "ok"
        # A ticket checked in at another door: yellow, with the time of that check-in.
        from sosialisasi.checkin.services import check_in

        late = make_registration(door["event"], make_person("Rahmat Hidayat"))
        check_in(door["event"], late.ticket_code, operator=door["staff"], method=CheckInMethod.QR)
        db.session.commit()
        page.locator("#code").fill(late.ticket_code)
        page.locator("#code").press("Enter")
        page.locator('#result[data-result="already"]').wait_for(state="visible")
        assert "sudah registrasi ulang pukul" in page.locator("#result-message").inner_text()
        # Rubbish from another system's QR: red, nothing written.
        page.locator("#code").fill("WIFI:S:HotelPrimebiz;T:WPA;P:rahasia;;")
        page.locator("#code").press("Enter")
        page.locator('#result[data-result="error"]').wait_for(state="visible")
        assert rows(db) == 2

        # Search: two letters show nothing, a name shows only the match.
        page.locator("#result").click()
        page.get_by_label("Cari nama, NIP, atau unit").fill("bu")
        page.get_by_text("Ketik minimal 3 huruf").wait_for()
        assert page.locator("#search-results li").count() == 0
        page.get_by_label("Cari nama, NIP, atau unit").fill("santoso")
        page.locator("#search-results li").get_by_text("Budi Santoso").wait_for()
        assert page.locator("#search-results li").count() == 1
        page.locator("#search-results").get_by_role("button", name="Registrasi ulang").click()
        page.locator('#result[data-result="ok"]').wait_for(state="visible")
        assert page.locator("#result-name").inner_text() == "Budi Santoso"
        assert rows(db, budi) == 1
        db.session.expire_all()
        assert (
            db.session.scalar(select(CheckIn.method).where(CheckIn.registration_id == budi.id))
            is CheckInMethod.MANUAL
        )
        db.session.rollback()
        # By NIP too.
        page.get_by_label("Cari nama, NIP, atau unit").fill("19800101")
        page.locator("#search-results li").get_by_text("Budi Santoso").wait_for()
        # And by the unit's name, whatever its case (issue 16).
        page.get_by_label("Cari nama, NIP, atau unit").fill("dinas  PENDIDIKAN")
        page.locator("#search-results li").get_by_text("Budi Santoso").wait_for()
        assert page.locator("#search-results li").count() == 1
    finally:
        context.close()


def test_offline_scan_is_queued_and_synced_exactly_once(db, live_server, launch_browser, door):
    browser = launch_browser()
    context, page = open_scanner(browser, live_server, door)
    try:
        budi = door["budi"]
        # The service worker has stored the page: it opens without a network.
        page.wait_for_selector('#scanner[data-offline-ready="1"]', state="attached")
        context.set_offline(True)
        page.reload()
        page.get_by_text("Tersimpan di perangkat: 2 peserta").wait_for()
        assert page.locator("#net-status").inner_text() == "Tidak tersambung"
        # Offline, the search over the stored roster finds people by their unit too (issue 16).
        page.get_by_label("Cari nama, NIP, atau unit").fill("kesehatan")
        page.locator("#search-results li").get_by_text("Dr. Siti Aminah").wait_for()
        assert page.locator("#search-results li").count() == 1
        page.get_by_label("Cari nama, NIP, atau unit").fill("")

        page.locator("#code").fill(budi.ticket_code)
        page.locator("#code").press("Enter")
        page.locator('#result[data-result="ok"]').wait_for(state="visible")
        assert "menunggu sinkron" in page.locator("#result-message").inner_text()
        page.get_by_text("1 menunggu sinkron").wait_for()
        assert rows(db) == 0
        # Scanned twice while offline: the same scan (shown again), nothing more queued.
        page.locator("#code").fill(budi.ticket_code)
        page.locator("#code").press("Enter")
        page.wait_for_selector('#scanner[data-repeats="1"]', state="attached")
        assert page.locator("#scanner").get_attribute("data-pending") == "1"

        context.set_offline(False)
        page.wait_for_selector('#scanner[data-pending="0"][data-last-sync="1"]')
        assert rows(db, budi) == 1
        db.session.expire_all()
        row = db.session.scalar(select(CheckIn))
        assert row.method is CheckInMethod.OFFLINE
        db.session.rollback()
        # Reloading (and syncing again) does not send it twice.
        page.reload()
        page.get_by_text("Tersimpan di perangkat: 2 peserta").wait_for()
        page.evaluate("() => new Promise((r) => setTimeout(r, 300))")
        assert page.locator("#scanner").get_attribute("data-pending") == "0"
        assert rows(db) == 1
    finally:
        context.close()


def test_conflict_after_sync_is_shown(db, live_server, launch_browser, door):
    """Checked in on another device while this phone was offline: shown after the sync."""
    browser = launch_browser()
    context, page = open_scanner(browser, live_server, door)
    try:
        siti = door["siti"]
        context.set_offline(True)
        page.evaluate("() => window.dispatchEvent(new Event('offline'))")
        page.locator("#code").fill(siti.ticket_code)
        page.locator("#code").press("Enter")
        page.get_by_text("1 menunggu sinkron").wait_for()
        # Meanwhile another door checks her in.
        from sosialisasi.checkin.services import check_in

        check_in(door["event"], siti.ticket_code, operator=door["staff"], method=CheckInMethod.QR)
        db.session.commit()
        context.set_offline(False)
        conflicts = page.locator("#conflicts")
        conflicts.get_by_text("Dr. Siti Aminah").wait_for()
        assert "sudah registrasi ulang pukul" in conflicts.inner_text()
        assert rows(db) == 1
    finally:
        context.close()


def test_scan_after_the_login_expired_is_kept_and_sent_after_logging_in(
    db, live_server, launch_browser, door
):
    browser = launch_browser()
    context, page = open_scanner(browser, live_server, door)
    try:
        budi = door["budi"]
        context.clear_cookies()  # the session ended (password changed, logged out elsewhere)
        page.locator("#code").fill(budi.ticket_code)
        page.locator("#code").press("Enter")
        page.locator('#result[data-result="ok"]').wait_for(state="visible")
        page.get_by_text("Masuk lagi untuk mengirim data").wait_for()
        assert rows(db) == 0
        page.goto(f"{live_server}/masuk")
        page.get_by_label("Nama pengguna").fill(door["staff"].username)
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(f"{live_server}/beranda")
        page.goto(f"{live_server}/registrasi-ulang/{door['event'].id}")
        page.wait_for_selector('#scanner[data-pending="0"][data-last-sync="1"]')
        assert rows(db, budi) == 1
    finally:
        context.close()


def test_organizer_undoes_a_wrong_scan_from_the_scanner(
    db, live_server, launch_browser, door, make_user
):
    organizer = make_user("organizer", name="Panitia Organisasi")
    browser = launch_browser()
    context, page = open_scanner(browser, live_server, door, user=organizer)
    try:
        siti = door["siti"]
        page.locator("#code").fill(siti.ticket_code)
        page.locator("#code").press("Enter")
        page.locator('#result[data-result="ok"]').wait_for(state="visible")
        page.locator("#result").click()
        assert rows(db, siti) == 1
        page.once("dialog", lambda dialog: dialog.accept("Salah orang dipindai"))
        page.locator("#recent").get_by_role("button", name="Batalkan").click()
        page.locator("#recent").get_by_text("Dibatalkan").wait_for()
        assert rows(db) == 0
        # The ticket can be scanned again at once.
        page.locator("#code").fill(siti.ticket_code)
        page.locator("#code").press("Enter")
        page.locator('#recent li[data-result="ok"]').nth(1).wait_for()
        assert rows(db, siti) == 1
    finally:
        context.close()


IDB_COUNTS = """() => new Promise((resolve, reject) => {
  const req = indexedDB.open("sosialisasi-checkin");
  req.onerror = () => reject(req.error);
  req.onsuccess = () => {
    const db = req.result;
    const t = db.transaction(["roster", "queue"], "readonly");
    const roster = t.objectStore("roster").count();
    const queue = t.objectStore("queue").count();
    t.oncomplete = () => { db.close(); resolve({roster: roster.result, queue: queue.result}); };
  };
})"""


def test_signing_out_clears_the_offline_roster_but_keeps_unsent_scans(
    db, live_server, launch_browser, door
):
    """A shared phone: the next person must not find every participant's name and NIP on it."""
    browser = launch_browser()
    context, page = open_scanner(browser, live_server, door)
    try:
        page.wait_for_function(f"() => ({IDB_COUNTS})().then((c) => c.roster === 1)")
        # A scan of another event still waiting for the network (this page never sends it).
        page.evaluate(
            """() => new Promise((resolve) => {
              const req = indexedDB.open("sosialisasi-checkin");
              req.onsuccess = () => {
                const t = req.result.transaction("queue", "readwrite");
                t.objectStore("queue").put({nonce: "unsent-1", event_id: 987654, code: "x",
                  session_id: null, scanned_at: new Date().toISOString(), method: "offline"});
                t.oncomplete = () => { req.result.close(); resolve(); };
              };
            })"""
        )
        page.locator(".navbar-toggler").click()  # a phone: the menu is collapsed
        page.locator("nav .dropdown-toggle").last.click()
        page.get_by_role("button", name="Keluar").click()
        page.wait_for_url(f"{live_server}/masuk*")
        assert page.evaluate(IDB_COUNTS) == {"roster": 0, "queue": 1}
    finally:
        context.close()


# --- a slow network (issue 13): CDP throttling, one POST per scan, the screen ends green --------


AT_LEAST_DECODES = """(target) => new Promise((resolve) => {
  const root = document.getElementById("scanner");
  const done = () => Number(root.dataset.decodes || 0) >= target;
  if (done()) return resolve();
  new MutationObserver((_, observer) => {
    if (done()) { observer.disconnect(); resolve(); }
  }).observe(root, { attributes: true, attributeFilter: ["data-decodes"] });
})"""


def throttle(page, latency_ms: int) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": latency_ms, "downloadThroughput": -1, "uploadThroughput": -1},
    )


def checkin_posts(page) -> list[str]:
    posts: list[str] = []
    page.on(
        "request",
        lambda r: (
            posts.append(r.url) if r.method == "POST" and r.url.endswith("/checkins") else None
        ),
    )
    return posts


@pytest.mark.parametrize("latency", [400, 2000])
def test_usb_scanner_under_a_slow_network_sends_one_post_and_ends_green(
    db, live_server, launch_browser, door, latency
):
    browser = launch_browser(["--use-fake-ui-for-media-stream"])
    context, page = open_scanner(browser, live_server, door)
    try:
        siti = door["siti"]
        posts = checkin_posts(page)
        throttle(page, latency)
        code = f"{live_server}/t/{siti.ticket_code}"
        # The scanner beeps, nothing seems to happen, the staff member scans again at once.
        page.keyboard.type(code)
        page.keyboard.press("Enter")
        pending = page.locator("#scan-pending")
        pending.wait_for(state="visible")
        assert siti.ticket_code in pending.inner_text()
        assert page.locator("#code").is_disabled()
        page.keyboard.type(code)
        page.keyboard.press("Enter")
        page.locator('#result[data-result="ok"]').wait_for(state="visible")
        assert page.locator("#result-name").inner_text() == "Dr. Siti Aminah"
        # And once more after the answer, typed into the field: the same scan, not sent again.
        page.locator("#code").fill(siti.ticket_code)
        page.locator("#code").press("Enter")
        page.wait_for_selector('#scanner[data-repeats="1"][data-inflight="0"]', state="attached")
        assert page.locator("#result").get_attribute("data-result") == "ok"
        assert page.locator("#recent li").count() == 1
        assert len(posts) == 1, posts
        assert rows(db, siti) == 1
    finally:
        context.close()


@pytest.mark.parametrize("latency", [400, 2000])
def test_camera_under_a_slow_network_sends_one_post_while_the_ticket_stays_in_view(
    db, live_server, launch_browser, door, tmp_path, latency
):
    siti = door["siti"]
    video = write_y4m(tmp_path / "ticket.y4m", [(f"{live_server}/t/{siti.ticket_code}", 20)])
    browser = launch_browser(camera_args(video))
    posts: list[str] = []

    def slow_from_the_first_scan(page):  # the camera decodes as soon as the page is up
        page.on(
            "request",
            lambda r: (
                posts.append(r.url) if r.method == "POST" and r.url.endswith("/checkins") else None
            ),
        )
        throttle(page, latency)

    context, page = open_scanner(
        browser, live_server, door, before_scanner=slow_from_the_first_scan, permissions=["camera"]
    )
    try:
        page.locator('#result[data-result="ok"]').wait_for(state="visible", timeout=30_000)
        seen = int(page.locator("#scanner").get_attribute("data-decodes"))
        # The ticket stays in view: many more frames decoded (a condition, not a sleep) ...
        page.evaluate(AT_LEAST_DECODES, seen + 25)
        # ... and still one POST, the screen green, no yellow "already" anywhere.
        assert len(posts) == 1, posts
        assert page.locator('#recent li[data-result="already"]').count() == 0
        assert page.locator("#scanner").get_attribute("data-last-result") == "ok"
        assert rows(db, siti) == 1
    finally:
        context.close()


def test_a_request_slower_than_5_s_keeps_waiting_visibly_instead_of_queueing_offline(
    db, live_server, launch_browser, door
):
    browser = launch_browser(["--use-fake-ui-for-media-stream"])
    context, page = open_scanner(browser, live_server, door)
    try:
        budi = door["budi"]
        posts = checkin_posts(page)
        throttle(page, 6500)
        page.locator("#code").fill(budi.ticket_code)
        page.locator("#code").press("Enter")
        page.wait_for_selector('#scanner[data-slow="1"]', state="attached", timeout=15_000)
        assert "Jaringan lambat" in page.locator("#scan-pending").inner_text()
        page.locator('#result[data-result="ok"]').wait_for(state="visible", timeout=30_000)
        assert "menunggu sinkron" not in page.locator("#result-message").inner_text()
        assert page.locator("#scanner").get_attribute("data-online") == "1"
        assert page.locator("#scanner").get_attribute("data-pending") == "0"
        assert len(posts) == 1
        assert rows(db, budi) == 1
    finally:
        context.close()


QUEUED_TIMES = """() => new Promise((resolve, reject) => {
  const req = indexedDB.open("sosialisasi-checkin");
  req.onerror = () => reject(req.error);
  req.onsuccess = () => {
    const all = req.result.transaction("queue", "readonly").objectStore("queue").getAll();
    all.onsuccess = () => { req.result.close(); resolve(all.result.map((i) => i.scanned_at)); };
  };
})"""


def test_two_offline_phones_keep_the_earliest_scan_even_when_it_syncs_last(
    db, live_server, launch_browser, door
):
    """Phone A scans Budi first, phone B a little later; B's network returns first (issue 13)."""
    browser = launch_browser()
    context_a, page_a = open_scanner(browser, live_server, door)
    context_b, page_b = open_scanner(browser, live_server, door)
    try:
        budi = door["budi"]
        for context, page in ((context_a, page_a), (context_b, page_b)):
            context.set_offline(True)
            page.evaluate("() => window.dispatchEvent(new Event('offline'))")
        times = []
        for page in (page_a, page_b):
            page.locator("#code").fill(budi.ticket_code)
            page.locator("#code").press("Enter")
            page.get_by_text("1 menunggu sinkron").wait_for()
            times.append(page.evaluate(QUEUED_TIMES)[0])
        first, second = (datetime.fromisoformat(t.replace("Z", "+00:00")) for t in times)
        assert first < second
        context_b.set_offline(False)
        page_b.wait_for_selector('#scanner[data-pending="0"][data-last-sync="1"]')
        context_a.set_offline(False)
        page_a.wait_for_selector('#scanner[data-pending="0"][data-last-sync="1"]')
        assert rows(db, budi) == 1
        db.session.expire_all()
        kept = db.session.scalar(select(CheckIn.at))
        db.session.rollback()
        assert abs((kept - first).total_seconds()) < 0.002, (kept, first, second)
    finally:
        context_a.close()
        context_b.close()


def test_an_early_arrival_sees_belum_dibuka_not_ditolak(
    db,
    live_server,
    launch_browser,
    make_event,
    make_unit,
    make_person,
    make_registration,
    make_user,
):
    """Issue 15: someone who comes before registrasi ulang opens is not refused."""
    starts = utcnow().replace(microsecond=0) + timedelta(hours=3)
    event = make_event(starts_at=starts, hours=2, status=EventStatus.RUNNING)
    dinkes = make_unit("Dinas Kesehatan")
    early = make_registration(event, make_person("Dr. Siti Aminah", unit=dinkes))
    make_registration(event, make_person("Budi Santoso", unit=dinkes))
    staff = make_user("checkin_staff", name="Petugas Pintu")
    event.staff = [staff]
    db.session.commit()
    door = {"event": event, "staff": staff}
    browser = launch_browser(["--use-fake-ui-for-media-stream"])
    context, page = open_scanner(browser, live_server, door)
    try:
        page.locator("#code").fill(early.ticket_code)
        page.locator("#code").press("Enter")
        page.locator("#result").wait_for(state="visible")
        assert page.locator("#result-title").inner_text().upper() == "BELUM DIBUKA"
        assert "baru dibuka pukul" in page.locator("#result-message").inner_text()
        assert rows(db) == 0
    finally:
        context.close()
