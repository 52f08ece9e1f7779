"""Figure 4: 500 A6 badges and a 500-row daftar hadir, against bare fpdf2 doing the same work.

The app's documents are fetched through their routes (Flask test client, logged in as the
organizer), so the figure includes the queries that load the rows. The baselines make the same
number of QR images (``qrcode``, same EC level and size, made the cheapest correct way) or table
rows and lay them out with fpdf2 and the same DejaVu font, and nothing else. The QR caches
(``qr_png``, ``print_qr`` and the version fitted per data shape are LRU caches) are cleared
before every repetition: the figure is a first download, not a cached one.

    python -m bench.documents [--quick]
"""

from __future__ import annotations

import time

from .common import (
    Figure,
    PageClient,
    app_context,
    fill_rule,
    find_rule,
    log,
    median,
    not_measured,
    ratio_figure,
    scratch_dir,
    script_main,
    seed_event,
)

BADGE_RULES = (
    r"/acara/<int:event_id>/.*(kartu|badge|lencana).*\.pdf",
    r"/.*<int:event_id>.*(kartu|badge|lencana).*\.pdf",
    r"registration\.(event_)?badges(_pdf)?",
)
LIST_RULES = (r"/acara/<int:event_id>/daftar-hadir\.pdf", r"attendance\.list_pdf")


def baseline_badges(urls: list[str]) -> bytes:
    """One A6 page per URL: a QR image (EC Q) and a name, with fpdf2 only.

    The QR is made the cheapest correct way ``qrcode`` allows: one fixed mask pattern (the default
    tries all eight) and a greyscale image built straight from the module matrix, 4 px a module,
    so the baseline is a floor and not a straw man.
    """
    import qrcode
    from PIL import Image
    from qrcode.constants import ERROR_CORRECT_Q

    from sosialisasi.common.pdf import A6, new_pdf

    pdf = new_pdf(format=A6, margin=0)
    pdf.set_auto_page_break(False)
    for n, url in enumerate(urls):
        qr = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=2, mask_pattern=0)
        qr.add_data(url)
        qr.make(fit=True)
        matrix = qr.get_matrix()
        size = len(matrix)
        pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
        image = Image.frombytes("L", (size, size), pixels)
        image = image.resize((size * 4, size * 4), Image.Resampling.NEAREST)
        pdf.add_page()
        pdf.image(image, x=26.5, y=27, w=52, h=52)
        pdf.set_font("DejaVu", "B", 15)
        pdf.set_xy(8, 83)
        pdf.cell(89, 8, f"Peserta Bench {n:05d}, S.Kom.", align="C")
    return bytes(pdf.output())


def baseline_list(rows: int) -> bytes:
    """A ``rows``-row table of seven columns, with fpdf2 only."""
    from sosialisasi.common.pdf import new_pdf

    pdf = new_pdf()
    pdf.add_page()
    pdf.set_font("DejaVu", "", 8)
    widths = (8, 38, 30, 30, 34, 16, 24)
    with pdf.table(col_widths=widths, line_height=4, repeat_headings=1) as table:
        head = table.row()
        for name in ("No", "Nama", "NIP", "Jabatan", "Unit Kerja", "Waktu", "Tanda Tangan"):
            head.cell(name)
        for n in range(1, rows + 1):
            row = table.row()
            for text in (
                str(n),
                f"Peserta Bench {n:05d}, S.Kom.",
                "19650102 199001 1 001",
                "Analis Kebijakan",
                f"Dinas Bench {n % 40:03d}",
                "08.12",
                f"{n}. ..........",
            ):
                row.cell(text)
    return bytes(pdf.output())


def _time_pair(app_fn, base_fn, repeats: int) -> tuple[float, float]:
    """Medians of ``repeats`` alternating runs (app, baseline, app, ...) after one warm-up each
    (imports, font parsing, templates): drifting load from other processes hits both."""
    app_fn()
    base_fn()
    app_times, base_times = [], []
    for _ in range(repeats):
        for fn, times in ((app_fn, app_times), (base_fn, base_times)):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
    return median(app_times), median(base_times)


def run(quick: bool) -> list[Figure]:
    from sosialisasi.common.qrcodes import clear_caches

    count = 20 if quick else 500
    repeats = 1 if quick else 5
    figures: list[Figure] = []
    with scratch_dir() as tmp, app_context(f"sqlite:///{tmp / 'docs.db'}", tmp) as app:
        seeded = seed_event(count, with_checkins=count * 9 // 10)
        client = PageClient(app, seeded.login_id)
        urls = [f"http://localhost/t/{code}" for code in seeded.tickets]

        badge_rule = find_rule(app, *BADGE_RULES)
        if badge_rule is None:
            figures.append(
                not_measured("documents.badges", f"{count} A6 badges", "no event badge route yet")
            )
        else:
            url = fill_rule(badge_rule, event_id=seeded.event_id)

            def badges() -> None:
                clear_caches()
                status, *_ = client.get(url)
                if status != 200:
                    raise RuntimeError(f"GET {url} answered {status}")

            app_s, base_s = _time_pair(badges, lambda: baseline_badges(urls), repeats)
            log(f"badges: app {app_s:.2f} s, baseline {base_s:.2f} s")
            figures.append(
                ratio_figure(
                    "documents.badges",
                    f"{count} A6 badges PDF vs bare fpdf2+qrcode",
                    app_s,
                    base_s,
                    "s",
                    "<=",
                    1.5,
                    route=badge_rule,
                )
            )

        list_rule = find_rule(app, *LIST_RULES)
        if list_rule is None:
            figures.append(
                not_measured("documents.daftar_hadir", "daftar hadir", "no daftar hadir route yet")
            )
        else:
            url = fill_rule(list_rule, event_id=seeded.event_id)

            def daftar() -> None:
                status, *_ = client.get(url)
                if status != 200:
                    raise RuntimeError(f"GET {url} answered {status}")

            app_s, base_s = _time_pair(daftar, lambda: baseline_list(count), repeats)
            log(f"daftar hadir: app {app_s:.2f} s, baseline {base_s:.2f} s")
            figures.append(
                ratio_figure(
                    "documents.daftar_hadir",
                    f"{count}-row daftar hadir PDF vs bare fpdf2 table",
                    app_s,
                    base_s,
                    "s",
                    "<=",
                    1.5,
                    route=list_rule,
                )
            )
    return figures


if __name__ == "__main__":
    script_main(run)
