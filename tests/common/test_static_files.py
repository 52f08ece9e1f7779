"""Static files carry their version in the URL and are kept for a year by the browser; without a
version (or with an old one) they are revalidated with their ETag."""

from __future__ import annotations

import re


def test_pages_name_static_files_with_their_version_and_the_browser_keeps_them(client):
    html = client.get("/masuk").get_data(as_text=True)
    url = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{10})"', html)
    assert url, "app.css is linked with its version"
    response = client.get(url[1])
    assert response.status_code == 200
    cache = response.headers["Cache-Control"]
    assert "max-age=31536000" in cache and "immutable" in cache and "public" in cache
    assert "no-cache" not in cache


def test_an_unversioned_or_old_url_is_revalidated_not_kept(client):
    plain = client.get("/static/js/scanner.js")
    assert plain.headers["Cache-Control"] == "no-cache"
    again = client.get("/static/js/scanner.js", headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304
    old = client.get("/static/js/scanner.js?v=0000000000")
    assert old.status_code == 200
    assert "max-age=31536000" not in old.headers["Cache-Control"]


def test_changing_a_file_changes_its_url(app, tmp_path, monkeypatch):
    from flask import url_for

    (tmp_path / "x.js").write_text("one")
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    with app.test_request_context():
        first = url_for("static", filename="x.js")
        (tmp_path / "x.js").write_text("two, longer")
        second = url_for("static", filename="x.js")
        missing = url_for("static", filename="nope.js")
    assert first.startswith("/static/x.js?v=") and second != first
    assert missing == "/static/nope.js"
