"""The people search (/peserta?q=, the "mewakili" search): part of a name, any case or accent,
NIP/NIK prefixes, through the name index (SQLite FTS5 trigram table kept by triggers)."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from sosialisasi.registration import people_fts, queries
from sosialisasi.registration.models import EmployeeKind

_NAME = re.compile(r"<strong>(.*?)</strong>")


def _found(client, q: str) -> list[str]:
    response = client.get("/peserta", query_string={"q": q})
    assert response.status_code == 200
    return [html.unescape(n) for n in _NAME.findall(response.get_data(as_text=True))]


@pytest.fixture()
def people(db, make_unit, make_person):
    unit = make_unit("Dinas Pencarian")
    return {
        "wulan": make_person("Sari Wulandari, S.E.", unit=unit),
        "rina": make_person("Rina Ayuningtyas", unit=unit),
        "andre": make_person("André Siregar", unit=unit),
        "nik": make_person(
            "Yohanes Tanpa Nip",
            unit=unit,
            nip=None,
            nik="3216051203900001",
            kind=EmployeeKind.NON_ASN,
        ),
    }


def test_part_of_a_name_finds_the_person(client, login_as, people):
    login_as("organizer")
    assert _found(client, "wulan") == ["Sari Wulandari, S.E."]
    # case, accents and punctuation do not matter, either way round
    assert _found(client, "WULÁN") == ["Sari Wulandari, S.E."]
    assert _found(client, "andre sir") == ["André Siregar"]
    assert _found(client, "Sari-Wulan") == ["Sari Wulandari, S.E."]
    assert _found(client, "wulanx") == []


def test_two_letters_still_search(client, login_as, people):
    login_as("organizer")
    found = _found(client, "yu")
    assert "Rina Ayuningtyas" in found
    assert "Sari Wulandari, S.E." not in found


def test_nip_and_nik_prefixes(client, login_as, people):
    login_as("organizer")
    nip = people["wulan"].nip
    assert _found(client, nip) == ["Sari Wulandari, S.E."]
    assert "Sari Wulandari, S.E." in _found(client, nip[:12])
    assert "Yohanes Tanpa Nip" not in _found(client, nip[:12])
    assert "Sari Wulandari, S.E." in _found(client, f"{nip[:8]} {nip[8:14]}")
    assert _found(client, "32160512") == ["Yohanes Tanpa Nip"]
    assert _found(client, "3216 0512 0390 0001") == ["Yohanes Tanpa Nip"]
    assert _found(client, "3216051299") == []


def test_a_renamed_person_is_found_by_the_new_name_only(db, client, login_as, people):
    login_as("organizer")
    person = people["wulan"]
    person.name = "Sari Kusumawati"
    db.session.commit()
    assert _found(client, "wulan") == []
    assert _found(client, "kusuma") == ["Sari Kusumawati"]


def test_a_deleted_person_is_no_longer_found(db, client, login_as, people):
    login_as("organizer")
    db.session.delete(people["rina"])
    db.session.commit()
    assert _found(client, "ayuning") == []
    assert _found(client, "wulan") == ["Sari Wulandari, S.E."]


def test_unit_operator_searches_only_their_unit(client, login_as, make_person, people):
    other = make_person("Dewi Wulansari")
    login_as("unit_operator", unit=people["wulan"].unit)
    assert _found(client, "wulan") == ["Sari Wulandari, S.E."]
    login_as("organizer")
    assert _found(client, "wulan") == ["Dewi Wulansari", "Sari Wulandari, S.E."]
    assert other.unit_id != people["wulan"].unit_id


def test_mewakili_search_uses_the_same_rule(people):
    unit_id = people["wulan"].unit_id
    assert [name for _id, name in queries.unit_people_matches(unit_id, "wulán")] == [
        f"Sari Wulandari, S.E. ({people['wulan'].nip})"
    ]
    assert [pid for pid, _name in queries.unit_people_matches(unit_id, "3216051")] == [
        people["nik"].id
    ]
    assert queries.unit_people_matches(unit_id, "!!") == []


def test_people_search_statements_do_not_grow_with_matches(
    db, client, login_as, make_unit, make_person
):
    login_as("organizer")
    unit = make_unit("Dinas Banyak Wulan")

    def count() -> int:
        statements: list[str] = []

        def listener(*args):
            statements.append(args[2])

        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/peserta?q=wulan").status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    make_person("Wulan Pertama", unit=unit)
    count()  # warm: whether the database has the index is looked up once per engine
    few = count()
    for i in range(30):
        make_person(f"Wulandari Ke {i}", unit=make_unit() if i % 2 else unit)
    assert len(_found(client, "wulan")) == 31
    assert count() == few


def test_sqlite_plan_reads_the_trigram_index(db, people):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the FTS5 table is SQLite's index; PostgreSQL uses pg_trgm")
    conn = db.session.connection()

    def plan(q: str) -> list[str]:
        stmt = queries.people_page_query(q)
        sql = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
        return [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]

    indexed = plan("wulan")
    assert any(people_fts.FTS_TABLE in d and "VIRTUAL TABLE" in d for d in indexed), indexed
    assert not any(re.match(r"SCAN people(\s|$)", d) for d in indexed), indexed
    # a NIP prefix reads the unique indexes, not the table
    by_number = plan("19860926")
    assert not any(re.match(r"SCAN people(\s|$)", d) for d in by_number), by_number
    # two letters: no trigram to look up, the table is read as before
    assert not any(people_fts.FTS_TABLE in d for d in plan("wu"))


def test_fts_table_follows_the_people_table(db, people):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    conn = db.session.connection()
    rows = dict(conn.exec_driver_sql("SELECT rowid, name_key FROM people_fts").all())
    assert rows[people["andre"].id] == "andre siregar"
    assert len(rows) == conn.exec_driver_sql("SELECT count(*) FROM people").scalar()


def test_a_common_name_is_found_along_the_name_index(
    db, client, login_as, monkeypatch, make_unit, make_person
):
    """Above ``COMMON`` FTS matches the list tests names row by row: same people found."""
    from sosialisasi.registration import search

    login_as("organizer")
    unit = make_unit("Dinas Sutrisno")
    for first in ("Budi", "Agus", "Citra"):
        make_person(f"{first} Sutrisno", unit=unit)
    make_person("Dewi Lestari", unit=unit)
    monkeypatch.setattr(search, "COMMON", 2)
    assert _found(client, "sutris") == ["Agus Sutrisno", "Budi Sutrisno", "Citra Sutrisno"]
    if db.engine.dialect.name == "sqlite":
        stmt = queries.people_page_query("sutris")
        conn = db.session.connection()
        sql = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
        assert people_fts.FTS_TABLE not in sql


def test_postgresql_trigram_index_answers_the_search(db, client, login_as, people):
    """What migration 0013_search makes on PostgreSQL (``create_all`` does not): the plain
    ``name_key LIKE '%text%'`` is answered by the GIN trigram index."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's index; SQLite uses the FTS5 table")
    conn = db.session.connection()
    assert people_fts.install_postgresql(conn)
    # A handful of rows: reading them all is cheaper. Leave the planner only index lookups.
    for scan in ("seqscan", "indexscan", "indexonlyscan"):
        conn.exec_driver_sql(f"SET LOCAL enable_{scan} = off")
    # the page's count (its rows may walk the name_key B-tree for their order instead)
    stmt = select(func.count()).select_from(queries.people_page_query("wulan").subquery())
    sql = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
    plan = " ".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + sql))
    assert people_fts.TRGM_INDEX in plan, plan
    db.session.commit()
    login_as("organizer")
    assert _found(client, "wulan") == ["Sari Wulandari, S.E."]
