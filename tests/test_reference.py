"""Tests for pipeline.reference: loading, validating and indexing the claims/ tables."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import ReferenceTableError
from pipeline.reference import (
    Reference,
    _is_tolerance,
    load_reference,
    validate_reference,
)
from pipeline.values import is_count as _is_count
from pipeline.values import is_day as _is_date
from pipeline.values import is_number as _is_number
from pipeline.values import is_rank as _is_rank
from pipeline.values import is_year as _is_year

ENTITIES = """\
entity,aliases,kind
Japan,Japanese|Nippon,country
United States,US|U.S.|USA|United States of America|American,country
European Union,EU,organization
North Atlantic Treaty Organization,NATO|Atlantic Alliance,organization
Finland,Finnish,country
Sweden,Swedish,country
Philippines,Filipino|Philippine,country
"""

ATTRIBUTES = """\
attribute,value_type,cues,tolerance,multivalued,description
member_count,count,members|member states,2,,Number of full members
founded,year,founded|established,,,Year it came into being
members,list,members|includes,,,The full members
prime_minister,text,Prime Minister|premier,,,Head of government
population,number,population|inhabitants,3%,,Resident population
gdp_rank,rank,largest economy,,,Rank by nominal GDP
provision,text,Article,,yes,What an article says
nato_accession,date,joined NATO,,,Date a country joined NATO
"""

NATO = "North Atlantic Treaty Organization"
SOURCE = "https://example.org/nato"
FACTS = f"""\
fact_id,entity,attribute,value,valid_from,valid_to,source,note
nato-members-2023,{NATO},member_count,31,2023-04-04,2024-03-07,{SOURCE},
nato-members-2024,{NATO},member_count,32,2024-03-07,,{SOURCE},after a new member joined
nato-founded,{NATO},founded,1949,,,{SOURCE},
nato-nordic,{NATO},members,Finnish|sweden|the USA,2024-03-07,,{SOURCE},a partial list for tests
japan-pm-2021,Japan,prime_minister,Fumio Kishida,2021-10-04,2024-10-01,https://example.org/jp,
japan-pm-2024,Japan,prime_minister,Shigeru Ishiba,2024-10-01,,https://example.org/jp,
japan-population,Japan,population,124.5 million,2023-10-01,,Statistics office yearbook,
japan-gdp-rank,Japan,gdp_rank,4,2024-01-01,,https://example.org/imf,
finland-nato,Finland,nato_accession,2023-04-04,,,{SOURCE},
nato-article-5,{NATO},provision,"Article 5: an attack on one member is an attack on all",,,Treaty,
nato-article-10,{NATO},provision,"Article 10: other states may be invited to join",,,Treaty,
"""

CHECKED_CLAIMS = """\
claim_id,claim,verdict,explanation,source
nato-founders,NATO was founded by twelve countries.,true,Its 1949 treaty had twelve signers.,Treaty
"""

VALID = {
    "entities.csv": ENTITIES,
    "attributes.csv": ATTRIBUTES,
    "facts.csv": FACTS,
    "checked_claims.csv": CHECKED_CLAIMS,
}


def write_reference(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write the files into root/claims and return the relative folder (cwd is root)."""
    folder = root / "claims"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        if text is not None:
            (folder / name).write_bytes(text if isinstance(text, bytes) else text.encode())
    return Path("claims")


def edited(name: str, line: int, text: str | None) -> dict[str, str | bytes | None]:
    """The valid files with line `line` of `name` replaced (None deletes it; one past the end
    appends)."""
    lines = VALID[name].splitlines()
    if line == len(lines) + 1:
        lines.append(text or "")
    elif text is None:
        del lines[line - 1]
    else:
        lines[line - 1] = text
    return {**VALID, name: "\n".join(lines) + "\n"}


def replaced(name: str, text: str | bytes | None) -> dict[str, str | bytes | None]:
    """The valid files with one file's whole content replaced (None removes the file)."""
    return {**VALID, name: text}


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test from tmp_path so problems carry the relative path claims/<file>."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def reference(in_tmp: Path) -> Reference:
    """The small valid reference, loaded."""
    return load_reference(write_reference(in_tmp, VALID))


F = f"{NATO},member_count"  # the start of a member_count row after its id

BROKEN = [
    # Files
    pytest.param(
        replaced("entities.csv", None),
        "claims/entities.csv:1:1: file not found; create it with header entity,aliases,kind",
        id="missing-entities",
    ),
    pytest.param(
        replaced("attributes.csv", None),
        "claims/attributes.csv:1:1: file not found",
        id="missing-attributes",
    ),
    pytest.param(
        replaced("facts.csv", None), "claims/facts.csv:1:1: file not found", id="no-facts"
    ),
    pytest.param(
        replaced("facts.csv", ""),
        "claims/facts.csv:1:1: file is empty; it needs the header fact_id,entity,",
        id="empty-file",
    ),
    pytest.param(
        replaced("checked_claims.csv", " \n\n"),
        "claims/checked_claims.csv:1:1: file is empty",
        id="blank-file",
    ),
    pytest.param(
        replaced("entities.csv", ENTITIES.replace("Finnish", "Fi\xf1nish").encode("latin-1")),
        "claims/entities.csv:6:2: byte 0xf1 is not UTF-8; save the file as UTF-8",
        id="not-utf8",
    ),
    # Headers
    pytest.param(
        edited("entities.csv", 1, "name,aliases,kind"),
        "claims/entities.csv:1:1: missing column entity; the header must be entity,aliases,kind",
        id="header-missing-column",
    ),
    pytest.param(
        edited("facts.csv", 1, "fact_id,entity,attribute,value,valid_to,note"),
        "claims/facts.csv:1:1: missing columns valid_from, source; the header must be",
        id="header-missing-columns",
    ),
    pytest.param(
        edited("checked_claims.csv", 1, "claim_id,claim,verdict,claim,explanation,source"),
        "claims/checked_claims.csv:1:4: column claim appears twice; remove one",
        id="header-duplicate-column",
    ),
    # Rows
    pytest.param(
        edited("facts.csv", 4, f"nato-founded,{NATO},founded,1949,,,{SOURCE},,extra"),
        "claims/facts.csv:4:1: row has 9 fields but the header has 8; quote values that",
        id="ragged-long",
    ),
    pytest.param(
        edited("facts.csv", 4, f"nato-founded,{NATO},founded,1949"),
        "claims/facts.csv:4:1: row has 4 fields but the header has 8",
        id="ragged-short",
    ),
    pytest.param(
        edited("facts.csv", 12, f'nato-article-10,{NATO},provision,"Article 10: open,,,Treaty,'),
        "claims/facts.csv:12:1: CSV syntax error (unexpected end of data); check the quotes",
        id="unclosed-quote",
    ),
    # Entities
    pytest.param(
        edited("entities.csv", 9, "japan,,country"),
        'claims/entities.csv:9:1: entity "japan" is already defined on line 2; merge or rename',
        id="duplicate-entity",
    ),
    pytest.param(
        edited("entities.csv", 9, "Nippon,,country"),
        'claims/entities.csv:9:1: entity "Nippon" is already an alias of Japan (line 2)',
        id="entity-is-alias",
    ),
    pytest.param(
        edited("entities.csv", 6, "Finland,Finnish|US,country"),
        'claims/entities.csv:6:2: alias "US" also names United States (line 3); keep it on one',
        id="alias-collision",
    ),
    pytest.param(
        edited("entities.csv", 6, "Finland,Finnish|Eu,country"),
        'claims/entities.csv:6:2: alias "Eu" also names European Union (line 4)',
        id="alias-collision-case",
    ),
    pytest.param(
        edited("entities.csv", 9, ",Nowhere,country"),
        "claims/entities.csv:9:1: entity is empty; name it",
        id="empty-entity",
    ),
    # Attributes
    pytest.param(
        edited("attributes.csv", 3, "founded,integer,founded,,,Year"),
        'claims/attributes.csv:3:2: value_type "integer" is unknown; use one of count, number, '
        "year, date, rank, text, list",
        id="unknown-value-type",
    ),
    pytest.param(
        edited("attributes.csv", 2, "member_count,count,members,2 members,,Members"),
        'claims/attributes.csv:2:4: tolerance "2 members" is malformed; use a number like 2 or '
        "a percentage like 5%",
        id="tolerance-words",
    ),
    pytest.param(
        edited("attributes.csv", 6, "population,number,population,%3,,People"),
        'claims/attributes.csv:6:4: tolerance "%3" is malformed',
        id="tolerance-percent-first",
    ),
    pytest.param(
        edited("attributes.csv", 6, "population,number,population,-3,,People"),
        'claims/attributes.csv:6:4: tolerance "-3" is malformed',
        id="tolerance-negative",
    ),
    pytest.param(
        edited("attributes.csv", 3, "founded,year,founded,1,,Year"),
        "claims/attributes.csv:3:4: tolerance 1 applies only to count and number values, "
        "not year; leave it empty",
        id="tolerance-on-year",
    ),
    pytest.param(
        edited("attributes.csv", 8, "provision,text,Article,,y,Articles"),
        'claims/attributes.csv:8:5: multivalued "y" must be yes, no or empty',
        id="multivalued-flag",
    ),
    pytest.param(
        edited("attributes.csv", 10, "founded,year,,,,Again"),
        "claims/attributes.csv:10:1: attribute founded is already defined on line 3",
        id="duplicate-attribute",
    ),
    pytest.param(
        edited("attributes.csv", 10, "Area Size,number,area,,,Land area"),
        'claims/attributes.csv:10:1: attribute "Area Size" is not an identifier',
        id="attribute-not-identifier",
    ),
    # Facts: references
    pytest.param(
        edited("facts.csv", 10, f"finland-nato,Finlandia,nato_accession,2023-04-04,,,{SOURCE},"),
        'claims/facts.csv:10:2: entity "Finlandia" is not in claims/entities.csv; add it there',
        id="unknown-entity",
    ),
    pytest.param(
        edited("facts.csv", 4, f"nato-founded,NATO,founded,1949,,,{SOURCE},"),
        f'claims/facts.csv:4:2: entity "NATO" is not canonical; use "{NATO}"',
        id="alias-as-entity",
    ),
    pytest.param(
        edited("facts.csv", 4, f"nato-founded,{NATO},founding_year,1949,,,{SOURCE},"),
        'claims/facts.csv:4:3: attribute "founding_year" is not in claims/attributes.csv',
        id="unknown-attribute",
    ),
    # Facts: dates and periods
    pytest.param(
        edited("facts.csv", 9, "japan-gdp-rank,Japan,gdp_rank,4,2024-13-01,,https://x.org,"),
        "claims/facts.csv:9:5: valid_from 2024-13-01 is not a date (YYYY-MM-DD)",
        id="valid-from-month",
    ),
    pytest.param(
        edited("facts.csv", 9, "japan-gdp-rank,Japan,gdp_rank,4,2024/01/01,,https://x.org,"),
        "claims/facts.csv:9:5: valid_from 2024/01/01 is not a date (YYYY-MM-DD)",
        id="valid-from-slashes",
    ),
    pytest.param(
        edited("facts.csv", 9, "japan-gdp-rank,Japan,gdp_rank,4,20240101,,https://x.org,"),
        "claims/facts.csv:9:5: valid_from 20240101 is not a date (YYYY-MM-DD)",
        id="valid-from-compact",
    ),
    pytest.param(
        edited("facts.csv", 2, f"nato-members-2023,{F},31,2023-04-04,2024-02-30,{SOURCE},"),
        "claims/facts.csv:2:6: valid_to 2024-02-30 is not a date (YYYY-MM-DD)",
        id="valid-to-day",
    ),
    pytest.param(
        edited("facts.csv", 2, f"nato-members-2023,{F},31,2024-04-04,2024-03-07,{SOURCE},"),
        "claims/facts.csv:2:6: valid_to 2024-03-07 is not after valid_from 2024-04-04; valid_to "
        "is the first day the fact no longer held",
        id="period-reversed",
    ),
    pytest.param(
        edited("facts.csv", 2, f"nato-members-2023,{F},31,2024-03-07,2024-03-07,{SOURCE},"),
        "claims/facts.csv:2:6: valid_to 2024-03-07 is not after valid_from 2024-03-07",
        id="period-empty",
    ),
    pytest.param(
        edited("facts.csv", 2, f"nato-members-2023,{F},31,2023-04-04,2024-06-01,{SOURCE},"),
        "claims/facts.csv:3:1: nato-members-2024 (32, from 2024-03-07 onwards) overlaps "
        "nato-members-2023 on line 2 (31, from 2023-04-04 to 2024-06-01) for "
        f"{NATO} member_count; end one period where the other starts",
        id="overlap",
    ),
    pytest.param(
        edited("facts.csv", 7, "japan-pm-2024,Japan,prime_minister,Shigeru Ishiba,,,Cabinet,"),
        "claims/facts.csv:7:1: japan-pm-2024 (Shigeru Ishiba, at all times) overlaps "
        "japan-pm-2021 on line 6",
        id="overlap-open-period",
    ),
    # Facts: ids, values, sources
    pytest.param(
        edited("facts.csv", 4, f"nato-members-2023,{NATO},founded,1949,,,{SOURCE},"),
        "claims/facts.csv:4:1: fact_id nato-members-2023 is already used on line 2",
        id="duplicate-fact-id",
    ),
    pytest.param(
        edited("facts.csv", 4, f",{NATO},founded,1949,,,{SOURCE},"),
        "claims/facts.csv:4:1: fact_id is empty; give the fact a unique id",
        id="empty-fact-id",
    ),
    pytest.param(
        edited("facts.csv", 2, f"nato-members-2023,{F},31.5,2023-04-04,2024-03-07,{SOURCE},"),
        "claims/facts.csv:2:4: value 31.5 is not a count (a whole number like 32)",
        id="count-decimal",
    ),
    pytest.param(
        edited("facts.csv", 2, f"nato-members-2023,{F},-1,2023-04-04,2024-03-07,{SOURCE},"),
        "claims/facts.csv:2:4: value -1 is not a count",
        id="count-negative",
    ),
    pytest.param(
        edited("facts.csv", 4, f"nato-founded,{NATO},founded,49,,,{SOURCE},"),
        "claims/facts.csv:4:4: value 49 is not a year (four digits like 1949)",
        id="year-short",
    ),
    pytest.param(
        edited("facts.csv", 8, "japan-population,Japan,population,many,2023-10-01,,Stats,"),
        "claims/facts.csv:8:4: value many is not a number (like 124500000 or 3.5 million)",
        id="number-word",
    ),
    pytest.param(
        edited("facts.csv", 8, "japan-population,Japan,population,124.5 millions,,,Stats,"),
        "claims/facts.csv:8:4: value 124.5 millions is not a number",
        id="number-suffix",
    ),
    pytest.param(
        edited("facts.csv", 9, "japan-gdp-rank,Japan,gdp_rank,0,2024-01-01,,https://x.org,"),
        "claims/facts.csv:9:4: value 0 is not a rank (a positive whole number like 3)",
        id="rank-zero",
    ),
    pytest.param(
        edited("facts.csv", 10, f"finland-nato,Finland,nato_accession,2023-04-31,,,{SOURCE},"),
        "claims/facts.csv:10:4: value 2023-04-31 is not a date (YYYY-MM-DD, YYYY-MM or YYYY)",
        id="date-value",
    ),
    pytest.param(
        edited("facts.csv", 6, "japan-pm-2021,Japan,prime_minister,,2021-10-04,,Cabinet,"),
        "claims/facts.csv:6:4: value is empty; give text",
        id="text-empty",
    ),
    pytest.param(
        edited("facts.csv", 5, f"nato-nordic,{NATO},members,Finland|Narnia,,,{SOURCE},"),
        'claims/facts.csv:5:4: list item "Narnia" is not an entity in entities.csv; add it or',
        id="list-unknown-item",
    ),
    pytest.param(
        edited("facts.csv", 5, f"nato-nordic,{NATO},members,Finland|Finnish,,,{SOURCE},"),
        'claims/facts.csv:5:4: list item "Finnish" repeats Finland; list each entity once',
        id="list-repeat",
    ),
    pytest.param(
        edited("facts.csv", 5, f"nato-nordic,{NATO},members, | ,,,{SOURCE},"),
        "claims/facts.csv:5:4: value is empty; give |-separated entity names",
        id="list-empty",
    ),
    pytest.param(
        edited("facts.csv", 4, f"nato-founded,{NATO},founded,1949,,,,"),
        "claims/facts.csv:4:7: source is empty; give a URL (https://...) or a citation",
        id="fact-without-source",
    ),
    # Checked claims
    pytest.param(
        edited("checked_claims.csv", 2, "c1,NATO has twelve members.,maybe,It has more.,Treaty"),
        'claims/checked_claims.csv:2:3: verdict "maybe" must be true or false',
        id="verdict",
    ),
    pytest.param(
        edited("checked_claims.csv", 3, "nato-founders,NATO is old.,true,It dates from 1949.,T"),
        "claims/checked_claims.csv:3:1: claim_id nato-founders is already used on line 2",
        id="duplicate-claim-id",
    ),
    pytest.param(
        edited("checked_claims.csv", 2, "c1,NATO has twelve members.,false,It has more.,"),
        "claims/checked_claims.csv:2:5: source is empty; give a URL (https://...) or a citation",
        id="claim-without-source",
    ),
    pytest.param(
        edited("checked_claims.csv", 2, "c1,NATO has twelve members.,false,,Treaty"),
        "claims/checked_claims.csv:2:4: explanation is empty; give the correction",
        id="claim-without-explanation",
    ),
    pytest.param(
        edited("checked_claims.csv", 2, "c1,,false,It has more.,Treaty"),
        "claims/checked_claims.csv:2:2: claim is empty; give the proposition as a full sentence",
        id="empty-claim",
    ),
]


@pytest.mark.parametrize(("files", "expected"), BROKEN)
def test_broken_reference_reports_one_located_problem(
    in_tmp: Path, files: dict[str, str | bytes | None], expected: str
) -> None:
    folder = write_reference(in_tmp, files)
    problems = validate_reference(folder)
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected)


@pytest.mark.parametrize(("files", "expected"), BROKEN[:3])
def test_load_reference_raises_with_the_problems(
    in_tmp: Path, files: dict[str, str | bytes | None], expected: str
) -> None:
    folder = write_reference(in_tmp, files)
    with pytest.raises(ReferenceTableError) as raised:
        load_reference(folder)
    assert raised.value.problems == validate_reference(folder)
    assert str(raised.value).startswith(expected)


def test_every_problem_is_listed_in_file_then_line_order(in_tmp: Path) -> None:
    files = edited("facts.csv", 9, "japan-gdp-rank,Japan,gdp_rank,0,2024-13-01,,,")
    files["entities.csv"] = ENTITIES + "japan,,country\n"
    problems = validate_reference(write_reference(in_tmp, files))
    assert [problem.split(": ")[0] for problem in problems] == [
        "claims/entities.csv:9:1",
        "claims/facts.csv:9:4",
        "claims/facts.csv:9:5",
        "claims/facts.csv:9:7",
    ]


def test_missing_folder_reports_each_required_file(in_tmp: Path) -> None:
    problems = validate_reference(Path("nowhere"))
    assert [problem.split(": ")[0] for problem in problems] == [
        "nowhere/entities.csv:1:1",
        "nowhere/attributes.csv:1:1",
        "nowhere/facts.csv:1:1",
    ]


def test_path_is_reported_as_given(tmp_path: Path) -> None:
    write_reference(tmp_path, replaced("facts.csv", ""))
    problems = validate_reference(tmp_path / "claims")
    assert problems[0].startswith(f"{tmp_path / 'claims' / 'facts.csv'}:1:1: ")


def test_valid_folder_loads(reference: Reference) -> None:
    assert validate_reference(Path("claims")) == []
    assert set(reference.entities) >= {"Japan", NATO}
    assert reference.entities["United States"].aliases[:2] == ("US", "U.S.")
    assert reference.entities["Japan"].kind == "country"
    assert len(reference.facts) == 11
    assert reference.checked_claims[0].verdict == "true"
    assert reference.folder == Path("claims")


def test_attributes_are_typed(reference: Reference) -> None:
    assert reference.attributes["population"].tolerance == "3%"
    assert reference.attributes["provision"].multivalued is True
    assert reference.attributes["member_count"].multivalued is False
    assert reference.attributes["gdp_rank"].value_type == "rank"


def test_fact_dates_are_parsed(reference: Reference) -> None:
    (fact,) = [fact for fact in reference.facts if fact.fact_id == "nato-members-2023"]
    assert (fact.valid_from, fact.valid_to) == (date(2023, 4, 4), date(2024, 3, 7))
    assert fact.note == ""


def test_list_items_are_stored_as_canonical_entities(reference: Reference) -> None:
    (fact,) = reference.facts_for(NATO, "members")
    assert fact.value == "Finland|Sweden|United States"


def test_checked_claims_file_is_optional(in_tmp: Path) -> None:
    reference = load_reference(write_reference(in_tmp, replaced("checked_claims.csv", None)))
    assert reference.checked_claims == ()


def test_extra_columns_are_allowed(in_tmp: Path) -> None:
    lines = ENTITIES.splitlines()
    entities = "\n".join([lines[0] + ",reviewed", *(line + ",yes" for line in lines[1:])])
    assert validate_reference(write_reference(in_tmp, replaced("entities.csv", entities))) == []


def test_columns_are_numbered_by_the_header_order(in_tmp: Path) -> None:
    claims = "source,verdict,claim_id,claim,explanation\nTreaty,perhaps,c1,A claim.,Because.\n"
    problems = validate_reference(write_reference(in_tmp, replaced("checked_claims.csv", claims)))
    assert problems == ['claims/checked_claims.csv:2:2: verdict "perhaps" must be true or false']


@pytest.mark.parametrize(
    ("prefix", "line"),
    [
        pytest.param("\n\n", 11, id="blank-lines"),
        pytest.param(
            f'extra,{NATO},provision,"Article 1:\nsettle disputes",,,T,\n', 11, id="quoted"
        ),
    ],
)
def test_line_numbers_count_blank_and_multiline_rows(in_tmp: Path, prefix: str, line: int) -> None:
    lines = FACTS.splitlines(keepends=True)
    broken = "japan-gdp-rank,Japan,gdp_rank,0,2024-01-01,,https://x.org,\n"
    facts = "".join([lines[0], lines[1], prefix, *lines[2:8], broken, *lines[9:]])
    problems = validate_reference(write_reference(in_tmp, replaced("facts.csv", facts)))
    assert [problem.split(": ")[0] for problem in problems] == [f"claims/facts.csv:{line}:4"]


def test_byte_order_mark_is_accepted(in_tmp: Path) -> None:
    entities = "\ufeff" + ENTITIES
    reference = load_reference(write_reference(in_tmp, replaced("entities.csv", entities)))
    assert "Japan" in reference.entities


def test_overlap_with_the_same_value_is_allowed(in_tmp: Path) -> None:
    twin = f"nato-founded-bis,{NATO},founded,1949,,,Another source,"
    assert validate_reference(write_reference(in_tmp, edited("facts.csv", 13, twin))) == []


def test_multivalued_attribute_may_overlap(reference: Reference) -> None:
    values = [fact.value for fact in reference.facts_for(NATO, "provision")]
    assert len(values) == 2


def test_facts_for_sorts_by_valid_from(reference: Reference) -> None:
    facts = reference.facts_for(NATO, "member_count")
    assert [fact.fact_id for fact in facts] == ["nato-members-2023", "nato-members-2024"]


@pytest.mark.parametrize(
    ("entity", "attribute"),
    [("Japan", "member_count"), ("Narnia", "founded"), ("NATO", "founded")],
)
def test_facts_for_unknown_pair_is_empty(reference: Reference, entity: str, attribute: str) -> None:
    assert reference.facts_for(entity, attribute) == ()


@pytest.mark.parametrize(
    ("attribute", "entities"),
    [
        ("prime_minister", {"Japan"}),
        ("member_count", {NATO}),
        ("nato_accession", {"Finland"}),
        ("area", set()),
    ],
)
def test_entities_with(reference: Reference, attribute: str, entities: set[str]) -> None:
    assert reference.entities_with(attribute) == frozenset(entities)


def test_names_map_every_lowercased_name_and_alias(reference: Reference) -> None:
    names = reference.names()
    assert names["japan"] == "Japan"
    assert names["u.s."] == "United States"
    assert names["atlantic alliance"] == NATO
    assert all(key == key.lower() for key in names)


def test_cues_per_attribute(reference: Reference) -> None:
    cues = reference.cues()
    assert cues["member_count"] == ("members", "member states")
    assert cues["prime_minister"] == ("Prime Minister", "premier")
    assert set(cues) == set(reference.attributes)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        pytest.param("Japan", "Japan", id="exact"),
        pytest.param("JAPAN", "Japan", id="case"),
        pytest.param("  japanese ", "Japan", id="alias-spaces"),
        pytest.param("the United States", "United States", id="the"),
        pytest.param("The US", "United States", id="the-short"),
        pytest.param("Japan's", "Japan", id="possessive"),
        pytest.param("Japan\u2019s", "Japan", id="curly-possessive"),
        pytest.param("the United States'", "United States", id="plural-possessive"),
        pytest.param("Nato", NATO, id="short-alias-case"),
        pytest.param("EU", "European Union", id="short-exact"),
    ],
)
def test_resolve_entity_exact(reference: Reference, name: str, canonical: str) -> None:
    assert reference.resolve_entity(name) == (canonical, 100.0)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        pytest.param("Phillipines", "Philippines", id="double-letter"),
        pytest.param("Untied States", "United States", id="transposed"),
        pytest.param("Finnland", "Finland", id="extra-letter"),
        pytest.param("the Phillipines's", "Philippines", id="the-and-possessive"),
    ],
)
def test_resolve_entity_fuzzy_misspelling(reference: Reference, name: str, canonical: str) -> None:
    resolved = reference.resolve_entity(name)
    assert resolved is not None
    assert resolved[0] == canonical
    assert 90 <= resolved[1] < 100


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("UK", id="short-no-fuzz"),
        pytest.param("ES", id="short-like-eu-us"),
        pytest.param("NATTO", id="short-target-no-fuzz"),
        pytest.param("Swedes", id="too-far"),
        pytest.param("Narnia", id="unknown"),
        pytest.param("United States Congress", id="longer-phrase"),
        pytest.param("", id="empty"),
    ],
)
def test_resolve_entity_none(reference: Reference, name: str) -> None:
    assert reference.resolve_entity(name) is None


def test_resolve_entity_cutoff_is_adjustable(reference: Reference) -> None:
    assert reference.resolve_entity("Swedes", cutoff=80) == ("Sweden", pytest.approx(83.33, 0.01))


@pytest.mark.parametrize(
    ("value", "fact_id"),
    [
        pytest.param("Fumio Kishida", "japan-pm-2021", id="full-name"),
        pytest.param("Kishida", "japan-pm-2021", id="surname"),
        pytest.param("kishida", "japan-pm-2021", id="case"),
        pytest.param("Kishida's", "japan-pm-2021", id="possessive"),
        pytest.param("Kishida Fumio", "japan-pm-2021", id="name-order"),
        pytest.param("Fumio Kishda", "japan-pm-2021", id="misspelled-full-name"),
        pytest.param("Kishidda", "japan-pm-2021", id="misspelled-surname"),
        pytest.param("Ishiba", "japan-pm-2024", id="other-holder"),
        pytest.param("Shigeru Ishíba", "japan-pm-2024", id="accent"),
    ],
)
def test_facts_by_value_matches_the_person(reference: Reference, value: str, fact_id: str) -> None:
    matches = reference.facts_by_value("prime_minister", value)
    assert [fact.fact_id for fact, _ in matches] == [fact_id]
    assert matches[0][1] >= 85


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("Fumio Kishimoto", id="similar-name"),
        pytest.param("Kishi", id="surname-prefix"),
        pytest.param("Kishimoto", id="similar-surname"),
        pytest.param("", id="empty"),
        pytest.param("'s", id="punctuation-only"),
    ],
)
def test_facts_by_value_rejects_other_people(reference: Reference, value: str) -> None:
    assert reference.facts_by_value("prime_minister", value) == []


def test_facts_by_value_unknown_attribute_is_empty(reference: Reference) -> None:
    assert reference.facts_by_value("president", "Fumio Kishida") == []


def test_digest_is_stable_across_loads_and_folders(in_tmp: Path) -> None:
    first = load_reference(write_reference(in_tmp, VALID))
    shutil.copytree(in_tmp / "claims", in_tmp / "copy")
    assert load_reference(Path("claims")).digest == first.digest
    assert load_reference(Path("copy")).digest == first.digest
    assert len(first.digest) == 64


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("facts.csv", FACTS.replace("124.5 million", "124.6 million")),
        ("entities.csv", ENTITIES + "Norway,Norwegian,country\n"),
        ("checked_claims.csv", None),
    ],
)
def test_digest_changes_on_edit(in_tmp: Path, name: str, text: str | None) -> None:
    before = load_reference(write_reference(in_tmp, VALID)).digest
    if text is None:
        (in_tmp / "claims" / name).unlink()
    else:
        (in_tmp / "claims" / name).write_text(text)
    assert load_reference(Path("claims")).digest != before


@given(st.integers(min_value=0, max_value=10**12))
def test_counts_and_ranks_accept_whole_numbers(number: int) -> None:
    assert _is_count(str(number))
    assert _is_rank(str(number)) == (number > 0)
    assert _is_number(str(number))
    assert _is_number(f"{number:,}")
    assert _is_tolerance(str(number))
    assert _is_tolerance(f"{number}%")


@given(st.dates(min_value=date(1000, 1, 1)))
def test_dates_and_years_accept_iso_forms(day: date) -> None:
    assert _is_date(day.isoformat())
    assert _is_year(str(day.year))


@pytest.mark.parametrize(
    ("check", "text"),
    [
        (_is_count, "032"),
        (_is_count, "3 2"),
        (_is_year, "19490"),
        (_is_number, "1,00"),
        (_is_number, "3.5 trillions"),
        (_is_tolerance, "5 %"),
        (_is_tolerance, ""),
        (_is_date, "2024-1-01"),
    ],
)
def test_validators_reject_malformed_text(check, text: str) -> None:
    assert not check(text)


@pytest.mark.parametrize("text", ["3.5 million", "3.5 Billion", "-0.4", "12 thousand", "2,500.5"])
def test_number_accepts_decimals_and_suffixes(text: str) -> None:
    assert _is_number(text)


def test_a_row_without_a_source_is_still_checked_for_overlaps(tmp_path):
    from pipeline.reference import validate_reference

    folder = tmp_path / "claims"
    shutil.copytree(Path(__file__).parent / "data" / "mini_reference", folder)
    facts = folder / "facts.csv"
    facts.write_text(
        facts.read_text() + "np-count-x,Northern Pact,member_count,9,2006-01-01,2007-01-01,,\n",
        encoding="utf-8",
    )
    problems = validate_reference(folder)
    assert any("source is empty" in p for p in problems)
    assert any("overlaps np-count-2005" in p for p in problems), problems


def scoped(scope: str) -> dict[str, str | bytes | None]:
    """The valid files with a `scope` column, and nato_accession scoped to `scope`."""
    lines = ATTRIBUTES.splitlines()
    rows = [lines[0] + ",scope", *(line + "," for line in lines[1:-1])]
    rows.append(lines[-1] + f",{scope}")
    return replaced("attributes.csv", "\n".join(rows) + "\n")


def test_an_attribute_may_be_scoped_to_an_organisation(in_tmp: Path) -> None:
    reference = load_reference(write_reference(in_tmp, scoped(NATO)))
    assert reference.attributes["nato_accession"].scope == NATO
    assert reference.attributes["founded"].scope == ""


@pytest.mark.parametrize(
    ("scope", "problem"),
    [
        ("Warsaw Pact", 'scope "Warsaw Pact" is not in claims/entities.csv; add it there'),
        ("NATO", f'scope "NATO" is not canonical; use "{NATO}"'),
    ],
)
def test_a_scope_must_be_a_canonical_entity(in_tmp: Path, scope: str, problem: str) -> None:
    problems = validate_reference(write_reference(in_tmp, scoped(scope)))
    assert problems == [f"claims/attributes.csv:9:7: {problem}"]
