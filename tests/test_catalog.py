"""The reference catalog: the build script's pattern miner, the shipped file, and lookups."""
from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import pytest

from reelgraph.catalog import DATA_PATH, Catalog, CatalogError, CatalogFilm, title_forms

ROOT = Path(__file__).resolve().parents[1]


def _load_script():
    spec = importlib.util.spec_from_file_location("build_catalog", ROOT / "scripts" / "build_catalog.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_script()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    if not DATA_PATH.exists():
        pytest.skip(f"shipped catalog missing: run scripts/build_catalog.py to create {DATA_PATH}")
    return Catalog.load()


# ---------------------------------------------------------------- the miner
def crew(text: str, year: int | None = None) -> dict[str, list[str]]:
    got = build.classify(build.mine_crew(text, None, year), [], set())
    return {k: v for k, v in got.items() if v}


def test_written_and_directed_gives_both_roles():
    got = crew("Thief is a 1981 crime film written and directed by Michael Mann.", 1981)
    assert got == {"writers": ["Michael Mann"], "directors": ["Michael Mann"]}


def test_name_lists_initials_and_sentence_end():
    got = crew("The film was directed by Fred M. Wilcox and written by Ann Lee, Bo Park, "
               "and C. J. Moss. It opened in May.")
    assert got["directors"] == ["Fred M. Wilcox"]
    assert got["writers"] == ["Ann Lee", "Bo Park", "C. J. Moss"]


def test_producer_company_and_distributor_go_to_studios():
    raw = build.mine_crew("It was produced by Legendary Pictures and distributed by Warner Bros. "
                          "It was produced by Jane Roe.")
    got = build.classify(raw, [], set())
    assert set(got["studios"]) == {"Legendary Pictures", "Warner Bros."}
    assert got["producers"] == ["Jane Roe"]


def test_composer_cues_and_backward_director():
    got = crew("The music score was composed by Hal Stone. Ray Finch directed and Ada Moss starred.")
    assert got["composers"] == ["Hal Stone"]
    assert got["directors"] == ["Ray Finch"]


def test_descriptors_and_other_films_are_skipped():
    got = crew("Blue Door is a 1950 drama directed by the American filmmaker Ida Brook. It is a "
               "remake of the 1931 film of the same name directed by Olaf Lund.", 1950)
    assert got["directors"] == ["Ida Brook"]
    assert crew("It is based on the 1920 novel written by Tom Gale.") == {}


def test_bare_surname_resolves_to_a_full_name_of_the_film():
    raw = build.mine_crew("RoboCop 3 is a 1993 film directed by Fred Dekker and written by "
                          "Dekker and Frank Miller.")
    got = build.classify(raw, ["Robert John Burke"], set())
    assert got["writers"] == ["Fred Dekker", "Frank Miller"]


def test_links_remake_sequel_and_source():
    titles = {"seven sinners": [0], "robocop 2": [1]}
    got = build.mine_links("South Sea Sinner is a 1950 film. It is a remake of Seven Sinners (1940).",
                           "South Sea Sinner", 1950, titles)
    assert got == {"remake_of": ("Seven Sinners", 1940)}
    got = build.mine_links("It is the sequel to the 1990 film RoboCop 2 and the third entry.",
                           "RoboCop 3", 1993, titles)
    assert got["sequel_of"] == ("RoboCop 2", 1990)
    got = build.mine_links("It is based on the 1952 novel Coins in the Fountain by John H. Secondari.",
                           "Three Coins in the Fountain", 1954)
    assert got["based_on"] == ["Coins in the Fountain", "John H. Secondari"]
    got = build.mine_links("It was adapted from a story by Ida Brook.", "Dusk", 1987)
    assert got["based_on"] == [None, "Ida Brook"]
    got = build.mine_links("The film was written by Ann Lee, based on her 1985 novel of the same name.",
                           "Glow", 1986, writers=["Ann Lee"])
    assert got["based_on"] == ["Glow", "Ann Lee"]


def test_build_merges_rows_and_makes_keys(tmp_path):
    rows = [
        {"title": "Glow", "year": 1986, "cast": ["Ann Lee", "(voices)"], "genres": ["Drama"],
         "href": "Glow_(1986_film)", "extract": "Glow is a 1986 drama film directed by Ray Finch."},
        {"title": "Glow", "year": 1986, "cast": ["Bo Park"], "genres": ["Crime"],
         "href": "Glow_(1986_film)"},
        {"title": "Dusk", "year": 1987, "cast": ["Ann Lee"], "genres": []},
    ]
    (tmp_path / "movies-1980s.json").write_text(json.dumps(rows), encoding="utf-8")
    out = tmp_path / "catalog.json.gz"
    assert build.main(["--src", str(tmp_path), "--out", str(out)]) == 0
    cat = Catalog.load(out)
    glow = cat.film("Glow_(1986_film)")
    assert len(cat) == 2 and glow.cast == ("Ann Lee", "Bo Park") and glow.genres == ("Drama", "Crime")
    assert glow.directors == ("Ray Finch",)
    assert cat.film("Dusk_(1987)").has_page is False
    assert "extract" not in gzip.decompress(out.read_bytes()).decode()


def test_build_rejects_a_folder_without_data(tmp_path):
    with pytest.raises(FileNotFoundError, match="no movies"):
        build.load_records(tmp_path)


# ---------------------------------------------------------------- the shipped catalog
def test_heat_1995_entry(catalog):
    heat = catalog.film("Heat_(1995_film)")
    assert heat.title == "Heat" and heat.year == 1995 and heat.label == "Heat (1995)"
    assert "Al Pacino" in heat.cast and "Robert De Niro" in heat.cast
    assert heat.directors == ("Michael Mann",) and "Michael Mann" in heat.writers
    assert heat in catalog.films_titled("heat")
    assert catalog.film("Heat_(1986_film)").based_on == ("Heat", "William Goldman")


def test_three_films_titled_heat(catalog):
    exact = [f for f in catalog.films_titled("Heat") if f.title == "Heat"]
    assert sorted(f.year for f in exact) == [1972, 1986, 1995]
    assert catalog.films_titled("No Such Film Title Anywhere") == []


def test_choose_by_year(catalog):
    film, conf = catalog.choose("Heat", 1986)
    assert film.key == "Heat_(1986_film)" and conf > 0.9
    near, near_conf = catalog.choose("Heat", 1996)
    assert near.key == "Heat_(1995_film)" and 0 < near_conf < conf
    assert catalog.choose("Heat", 2030) == (None, 0.0)
    assert catalog.choose("No Such Film Title Anywhere") == (None, 0.0)


def test_choose_by_context_people(catalog):
    film, conf = catalog.choose("Heat", context_people=["Burt Reynolds"])
    assert film.key == "Heat_(1986_film)" and conf >= 0.6
    film, _ = catalog.choose("Heat", context_people=["Pacino", "De Niro"])
    assert film.key == "Heat_(1995_film)"
    _, blind = catalog.choose("Heat")
    assert blind < conf


def test_films_of_person(catalog):
    films = catalog.films_of_person("al pacino")
    assert catalog.film("Heat_(1995_film)") in films
    assert len(films) == len(set(films))
    mann = catalog.films_of_person("Michael Mann")
    assert {"Heat (1995)", "L.A. Takedown (1989)"} <= {f.label for f in mann}
    assert catalog.is_known_person("Robert De Niro")
    assert not catalog.is_known_person("Vincent Hanna")
    assert "Michael Mann" in catalog.people_with_surname("Mann")


def test_studios_are_mined(catalog):
    assert catalog.is_known_studio("Warner Bros.")
    (geese,) = catalog.films_titled("Wild Geese Calling")
    assert "20th Century-Fox" in geese.studios


def test_common_word_title(catalog):
    for title in ("Heat", "Up", "Her", "Us", "It", "The Town"):
        assert catalog.common_word_title(title), title
    for title in ("The Dark Knight", "L.A. Takedown", "Heat 2", ""):
        assert not catalog.common_word_title(title), title


def test_title_lookup_forms_and_span_matching(catalog):
    assert "rocky 2" in title_forms("Rocky II") and "fast and furious" in title_forms("Fast & Furious")
    assert any(f.title == "Rocky II" for f in catalog.films_titled("Rocky 2"))
    assert catalog.has_title("dark knight") and not catalog.has_title("The Dark Knight")
    tokens = "we saw the dark knight and heat".split()
    assert (3, 5, "dark knight") in set(catalog.iter_title_matches(tokens))
    assert catalog.title_max_tokens >= 5
    assert any(f.title.startswith("Underworld:") for f in catalog.films_by_main_title("Underworld"))


# ---------------------------------------------------------------- small catalogs and errors
def test_genre_words_and_prior_break_ties():
    films = [CatalogFilm("Glow_(1950)", "Glow", 1950, genres=("Western",), has_page=False),
             CatalogFilm("Glow_(1990_film)", "Glow", 1990, cast=("Ann Lee", "Bo Park"),
                         genres=("Science Fiction",), directors=("Ray Finch",))]
    cat = Catalog.from_films(films)
    assert cat.choose("Glow", context_words=["a", "western"])[0].year == 1950
    assert cat.choose("Glow", context_words=["science", "fiction"])[0].year == 1990
    assert cat.choose("Glow")[0].year == 1990  # notability prior only


def test_load_errors(tmp_path):
    with pytest.raises(CatalogError, match="not found"):
        Catalog.load(tmp_path / "missing.json.gz")
    bad = tmp_path / "bad.json.gz"
    bad.write_bytes(gzip.compress(b'{"format": "other"}'))
    with pytest.raises(CatalogError, match="not a reelgraph-catalog"):
        Catalog.load(bad)
