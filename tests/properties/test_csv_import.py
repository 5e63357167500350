"""Random CSV files for the registry import: right and wrong headers, good and bad cells, other
encodings, byte-order marks, huge fields, formulas. Never a server error; either every row is
imported or none is (the row counts do not move), and a refused file says why, row by row."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from registry.importing import COLUMNS, KINDS, REQUIRED, import_file, read_upload
from registry.models import Employer, Mission, Worker
from tests.properties import PROPERTY, PROPERTY_VIEWS, TRICKY_STRINGS, row_counts, text_values

MISSION = "Embassy of the Republic of Testland"
MODELS = {"missions": Mission, "employers": Employer, "workers": Worker}

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzÉéñ -'", min_size=1, max_size=30).filter(
    str.strip
)
FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", "'=1+1", "=cmd|' /C calc'!A0", '=HYPERLINK("x")']

# A plausible value for each column, so that some files are entirely right.
GOOD = {
    # missions
    "name": names.map(lambda name: f"Embassy {name}"),
    "kind": st.sampled_from(["embassy", "consulate", "permanent_mission", "EMBASSY"]),
    "sending_state": st.sampled_from(["PH", "ET", "LK", "", "ph"]),
    "address": st.text(max_size=60),
    "protocol_contact_name": names,
    "protocol_contact_email": st.sampled_from(["", "protocol@ph-embassy.example"]),
    "protocol_contact_phone": st.sampled_from(["", "+32 2 340 33 77", "02 501 11 11"]),
    # employers
    "accreditation_number": st.from_regex(r"ACC-[0-9]{5}", fullmatch=True),
    "mission": st.sampled_from([MISSION, MISSION.upper()]),
    "family_name": names,
    "given_names": names,
    "title": st.sampled_from(["", "Ambassador", "Driver"]),
    "is_head_of_mission": st.sampled_from(["yes", "no", "", "YES"]),
    "privileges_category": st.sampled_from(["diplomatic_agent", "service_staff"]),
    # workers
    "other_spellings": st.sampled_from(["", "Rosario Delacruz | Charo"]),
    "date_of_birth": st.dates().map(lambda d: d.replace(year=1950 + d.year % 50).isoformat()),
    "sex": st.sampled_from(["F", "M", "X"]),
    "nationality": st.sampled_from(["PH", "ET", "LK"]),
    "passport_number": st.from_regex(r"P[0-9]{7}[A-Z]", fullmatch=True),
    "passport_expiry": st.sampled_from(["", "2031-05-30"]),
    "preferred_language": st.sampled_from(["tl", "am", "si"]),
    "host_language_level": st.sampled_from(["", "none", "basic", "fluent"]),
    "email": st.sampled_from(["", "rosario@example.org"]),
    "phone": st.sampled_from(["", "+32 470 12 34 56", "0471 23 45 67"]),
    "phone_is_safe": st.sampled_from(["yes", "no", ""]),
    "phone_for_sms": st.sampled_from(["no", ""]),
    "iban": st.sampled_from(["", "BE71 0961 2345 6769", "BE68539007547034"]),
    "account_holder": names,
    "sole_holder": st.sampled_from(["yes", "no", ""]),
}
JUNK = st.one_of(
    text_values(),
    st.sampled_from(FORMULAS),
    st.sampled_from(['"', 'a"b', "line\nbreak", "semi;colon", "comma,here", "x" * 200_000]),
)


# Columns a worker cannot share with another row of the same file.
ONCE_PER_FILE = {"iban", "account_holder", "sole_holder", "phone", "phone_is_safe", "phone_for_sms"}


@st.composite
def csv_files(draw) -> tuple[str, bytes, int]:
    """(kind, the file's bytes, how many non-empty record rows it holds).

    One file in three is clean (right header, right cells, UTF-8), so that imports that go
    through are tried as often as refused ones.
    """
    kind = draw(st.sampled_from(KINDS))
    clean = draw(st.integers(0, 2)) == 0
    modes = ["all", "required"] if clean else ["all", "required", "unknown", "twice", "other"]
    header_mode = draw(st.sampled_from(modes))
    columns = list(COLUMNS[kind])
    if header_mode == "required":
        columns = list(REQUIRED[kind])
    elif header_mode == "unknown":
        columns = [*columns, draw(st.text(max_size=10))]
    elif header_mode == "twice":
        columns = [*columns, columns[0]]
    elif header_mode == "other":
        columns = list(COLUMNS[draw(st.sampled_from([k for k in KINDS if k != kind]))])
    columns = draw(st.permutations(columns))
    header = [name.upper() if draw(st.integers(0, 5)) == 0 else name for name in columns]
    mistakes = 0.0 if clean else draw(st.sampled_from([0.0, 0.05, 0.3, 1.0]))
    rows = []
    for number in range(draw(st.integers(1 if clean else 0, 3))):
        cells = []
        for column in columns:
            if clean and column in ONCE_PER_FILE and number > 0:
                cells.append("")
                continue
            wrong = draw(st.floats(0, 1)) < mistakes or column not in GOOD
            cells.append(draw(JUNK if wrong else GOOD[column]))
        if draw(st.floats(0, 1)) < mistakes / 4:
            cells = cells[:-1] if draw(st.booleans()) else [*cells, "extra"]
        rows.append(cells)
    delimiter = draw(st.sampled_from([",", ",", ";"]))
    out = io.StringIO(newline="")
    ending = draw(st.sampled_from(["\r\n", "\n"]))
    writer = csv.writer(out, delimiter=delimiter, lineterminator=ending)
    writer.writerow(header)
    writer.writerows(rows)
    text = "\n" * draw(st.integers(0, 2)) + out.getvalue()
    encodings = ["utf-8", "utf-8-sig"]
    if not clean:
        encodings += ["utf-16", "latin-1", "noise"]
    encoding = draw(st.sampled_from(encodings))
    if encoding == "noise":
        data = draw(st.binary(max_size=200))
    else:
        data = text.encode(encoding, errors="replace")
    records = sum(1 for cells in rows if any(cell.strip() for cell in cells))
    return kind, data, records


@pytest.fixture
def officer_and_mission(officer):
    from tests.factories import MissionFactory

    MissionFactory(name=MISSION)
    return officer


def _assert_report_says_why(report):
    assert report.errors, "refused without a report"
    for error in report.errors:
        assert isinstance(str(error.message), str) and str(error.message).strip()
        assert error.row is None or error.row >= 1


@PROPERTY
@given(upload=csv_files(), dry_run=st.booleans())
def test_an_import_writes_every_row_or_none_and_says_why(officer_and_mission, upload, dry_run):
    kind, data, records = upload
    before = row_counts()
    try:
        text = read_upload(data)
    except ValidationError as error:
        assert all(message.strip() for message in error.messages)
        event("file refused before reading")
        return
    report = import_file(kind=kind, file_text=text, by=officer_and_mission, dry_run=dry_run)
    event(f"{kind}: {'applied' if report.applied else 'checked' if report.ok else 'refused'}")
    after = row_counts()
    label = MODELS[kind]._meta.label_lower
    if report.applied:
        assert report.ok and not dry_run
        assert len(report.rows) == records, "some rows were left out"
        assert after[label] - before[label] == report.created
    else:
        written = {
            model: after[model] - before[model] for model in after if after[model] != before[model]
        }
        assert not written, f"nothing should be written: {written}"
        if report.ok:
            assert dry_run and len(report.rows) == records
        else:
            _assert_report_says_why(report)
    assert report.summary().strip()


@pytest.mark.parametrize("kind", KINDS)
def test_a_tricky_value_in_every_cell_is_reported_or_imported(officer_and_mission, kind):
    """A sweep: each tricky value, a huge field and each formula, in every cell of one row."""
    for value in [*TRICKY_STRINGS, "x" * 200_000, *FORMULAS]:
        out = io.StringIO(newline="")
        writer = csv.writer(out)
        writer.writerow(COLUMNS[kind])
        writer.writerow([value] * len(COLUMNS[kind]))
        before = row_counts()
        try:
            text = read_upload(out.getvalue().encode())
        except ValidationError as error:
            assert all(message.strip() for message in error.messages)
            continue
        report = import_file(kind=kind, file_text=text, by=officer_and_mission, dry_run=False)
        if not report.applied:
            assert row_counts() == before, value[:30]
            _assert_report_says_why(report)


# --- Through the Import page --------------------------------------------------------------


@pytest.fixture
def import_page(officer_and_mission, client_for):
    return client_for(officer_and_mission)


@PROPERTY_VIEWS
@given(upload=csv_files(), dry_run=st.booleans(), name=st.sampled_from(["a.csv", "x", "é.txt"]))
def test_the_import_page_never_fails_and_imports_all_rows_or_none(
    import_page, upload, dry_run, name
):
    kind, data, _records = upload
    url = reverse("registry:registry-import")
    before = row_counts()
    posted = {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="text/csv")}
    if dry_run:
        posted["dry_run"] = "on"
    response = import_page.post(url, posted)
    assert response.status_code in (200, 302)
    event(f"page answered {response.status_code}")
    if response.status_code == 200:
        # Refused, or a dry run: nothing written, and the page says what it found.
        assert row_counts() == before
        html = response.content.decode()
        assert "alert-danger" in html or "is-invalid" in html or "Dry run" in html
        pending = response.context.get("pending")
        if pending:
            event("imported after the dry run")
            # "Import now" applies the checked file, all of it.
            response = import_page.post(url, {"confirm": pending})
            assert response.status_code == 302
            assert row_counts() != before
