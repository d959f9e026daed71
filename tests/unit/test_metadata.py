"""Metadata choices on small hand-built pages: headline, dateline and byline cross-checks."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract.dates import dates_in, find_date, month_from_url, other_reading
from scraper.extract.metadata import Metadata, extract_metadata
from scraper.extract.people import byline_as_printed, clean_authors
from scraper.extract.pubdate import choose_published
from scraper.extract.sitename import clean_site_name, is_site_name

URL = "https://news.example.org/politics/story-slug"


def meta_of(head: str, body: str, url: str | None = URL) -> Metadata:
    html = f"<html lang='de'><head>{head}</head><body>{body}</body></html>"
    return extract_metadata(LexborHTMLParser(html), url)


# --- dates --------------------------------------------------------------------------------


def test_printed_date_beats_a_utc_timestamp_a_day_off() -> None:
    page = meta_of(
        '<meta property="article:published_time" content="2019-12-31T23:10:00+00:00">',
        "<article><h1>Ins neue Jahr mit guten Vorsätzen</h1><p class=meta>1. Januar 2020</p>"
        "<p>" + "Text des Artikels. " * 20 + "</p></article>",
    )
    assert page.published == "2020-01-01"


def test_same_day_keeps_the_machine_readable_time() -> None:
    page = meta_of(
        '<meta property="article:published_time" content="2020-01-01T09:10:00+01:00">',
        "<article><h1>Ins neue Jahr mit guten Vorsätzen</h1><span>1. Januar 2020</span></article>",
    )
    assert page.published == "2020-01-01T09:10:00+01:00"


def test_updated_and_caption_dates_are_not_the_publication_date() -> None:
    page = meta_of(
        "",
        "<article><h1>Neue Radwege in der Innenstadt geplant</h1>"
        "<figure><img src=a.jpg><figcaption>Foto vom 3. März 2019</figcaption></figure>"
        "<p>Aktualisiert am 9. Mai 2021</p><p>Veröffentlicht am 2. Mai 2021</p></article>",
    )
    assert page.published == "2021-05-02"


def test_a_date_split_over_two_elements_is_read() -> None:
    page = meta_of(
        "",
        "<article><div><span>26</span><span>Okt 2018</span></div>"
        "<h1>Wahlzensur und Angriffe auf Universitäten</h1></article>",
    )
    assert page.published == "2018-10-26"


def test_url_date_overrules_a_printed_date_far_from_it() -> None:
    assert choose_published((10, "2014-01-13"), [], "2012-05-12") == "2012-05-12"
    assert choose_published((10, "2012-05-13"), [], "2012-05-12") == "2012-05-13"


def test_a_far_printed_date_needs_corroboration() -> None:
    assert choose_published((300, "2020-01-24"), ["2020-02-04T13:15:08+00:00"], None) == (
        "2020-02-04T13:15:08+00:00"
    )
    assert choose_published((300, "2020-02-04"), ["2020-02-04T13:15:08+00:00"], None) == (
        "2020-02-04T13:15:08+00:00"
    )


def test_a_local_offset_is_preferred_for_the_same_instant() -> None:
    assert choose_published(
        None, ["2022-05-04T03:37:37+00:00", "2022-05-03T23:37:37-04:00"], None
    ) == ("2022-05-03T23:37:37-04:00")


def test_labelled_date_anywhere_is_the_last_resort() -> None:
    page = meta_of(
        "",
        "<main><h1>Vom Boden aus gedacht</h1><p>" + "Rezension. " * 40 + "</p>"
        "<footer><p>Letzte Änderung: 31.10.2023<br>Erschienen am: 01.11.2023</p></footer></main>",
    )
    assert page.published == "2023-11-01"


def test_ambiguous_slashed_meta_date_is_settled_by_the_page() -> None:
    page = meta_of(
        '<meta name="date" content="11/01/2023 12:43:42">',
        "<main><h1>Trinkwasser in Schwarzenmatt belastet</h1><p>"
        + "Text. " * 60
        + "</p><p>Erstellt am: 01.11.2023</p></main>",
    )
    assert page.published == "2023-11-01"


def test_loose_date_forms() -> None:
    assert find_date("31.10.23", loose=True) == "2023-10-31"
    assert find_date("4. 2. 2022.", loose=True) == "2022-02-04"
    assert find_date("15 августа 2016, 13:43", loose=True) == "2016-08-15"
    assert find_date("3/5/2022", mdy=True) == "2022-03-05"
    assert find_date("3/5/2022") == "2022-05-03"
    assert find_date("31.10.23") is None  # two-digit years only where a dateline is expected
    assert dates_in("no digits at all", loose=True) == []
    assert month_from_url("https://a.example/2010/05/slug/") == (2010, 5)
    assert month_from_url("https://a.example/2010/05/19/slug/") is None
    assert other_reading("11/01/2023 12:43") == "2023-11-01"
    assert other_reading("13/01/2023") is None


# --- titles -------------------------------------------------------------------------------


def test_h1_kicker_is_dropped_when_og_title_confirms_it() -> None:
    page = meta_of(
        '<meta property="og:title" content="Bohren, bis es heiß wird">',
        "<article><h1><span>Klimaschutz</span> : <span>Bohren, bis es heiß wird</span></h1>"
        "</article>",
    )
    assert page.title == "Bohren, bis es heiß wird"


def test_h1_trailer_after_a_separator_is_dropped() -> None:
    page = meta_of(
        '<meta property="og:title" content="Zuschauerrückkehr bei den Proficlubs der Region">',
        "<h1>Zuschauerrückkehr bei den Proficlubs der Region <span>02.02.2022</span> • "
        "<span>Presse</span></h1>",
    )
    assert page.title == "Zuschauerrückkehr bei den Proficlubs der Region"


def test_h1_subtitle_after_a_colon_is_kept() -> None:
    page = meta_of(
        "<title>Saftiger Zitronenkuchen vom Blech | Backen macht glücklich</title>",
        "<h1>Saftiger Zitronenkuchen vom Blech: einfach köstlich!</h1>",
    )
    assert page.title == "Saftiger Zitronenkuchen vom Blech: einfach köstlich!"


def test_h1_wins_over_a_rewritten_head_title() -> None:
    page = meta_of(
        '<meta property="og:title" content="Brexit: Nervenkrieg geht in nächste Runde">',
        "<h1>Der Nervenkrieg um den Brexit geht in die nächste Runde</h1>",
        url="https://www.example.ch/international/der-nervenkrieg-um-den-brexit-ld.1",
    )
    assert page.title == "Der Nervenkrieg um den Brexit geht in die nächste Runde"


def test_an_unrelated_h1_is_not_the_headline() -> None:
    page = meta_of(
        "<title>Voters pass increase for retired teachers | KXAN</title>",
        "<aside><h1>KXAN Daily Forecast Newsletter</h1></aside>"
        "<article><h2>Voters pass increase for retired teachers</h2></article>",
        url="https://www.kxan.example/news/voters-pass-increase-for-retired-teachers/",
    )
    assert page.title == "Voters pass increase for retired teachers"


def test_blog_name_h1_defers_to_the_post_title() -> None:
    page = meta_of(
        "<title>EMACSPEAK The Complete Audio Desktop: Meta-Programming In Emacs</title>"
        '<meta property="og:title" content="Meta-Programming In Emacs">',
        "<h1>EMACSPEAK The Complete Audio Desktop</h1>",
    )
    assert page.title == "Meta-Programming In Emacs"


def test_site_name_and_its_tagline_leave_the_title() -> None:
    page = meta_of(
        '<meta property="og:site_name" content="AOC media">'
        '<meta property="og:title" content="La retraite | AOC media - Analyse Opinion Critique">',
        "",
    )
    assert page.title == "La retraite"


def test_site_name_that_repeats_the_headline_is_cleaned() -> None:
    assert clean_site_name("Achtsam durch die Krise | Die FURCHE", ["Achtsam durch die Krise"]) == (
        "Die FURCHE"
    )
    assert not is_site_name("GdP-Vize Klemmer: Mangelnde Wertschätzung", "GdP", "https://gdp.de")
    assert is_site_name(
        "bewegliche lettern",
        None,
        "https://web.archive.org/web/2016/http://bewegliche-lettern.de/a",
    )


# --- authors ------------------------------------------------------------------------------


def test_byline_by_the_headline_beats_sidebar_authors() -> None:
    page = meta_of(
        "",
        "<aside><a rel=author href=/a/x>Sidebar Person</a></aside>"
        "<article><h1>Die Auktion der Schätzchen von St. Johannes</h1>"
        "<div class=meta><span>Von</span> <a href=/autor/ck>Cosima Künzel</a></div></article>",
    )
    assert page.authors == ["Cosima Künzel"]


def test_label_in_one_element_name_in_the_next() -> None:
    page = meta_of(
        "",
        "<h1>Schluss mit Poltern im Trab</h1>"
        "<div>Ein Artikel von <strong>Pamela Sladky</strong> | 27.01.2022</div>",
    )
    assert page.authors == ["Pamela Sladky"]


def test_a_name_particle_is_not_a_byline_label() -> None:
    page = meta_of(
        "",
        "<h1>Zusammenarbeit im April</h1><span class=author>Walter von Aachen</span>",
    )
    assert page.authors == ["Walter von Aachen"]


def test_user_name_from_a_declared_author() -> None:
    page = meta_of(
        "",
        "<h1>Barcamp Graz 2015 Call for Action</h1>"
        "<span class=byline>Posted on 2015-04-05 by <a rel=author href=/u/marc>marc</a></span>",
    )
    assert page.authors == ["marc"]


def test_desk_byline_is_kept_as_printed_when_no_person_is_named() -> None:
    page = meta_of("", "<h1>Peking sucht den Superstar</h1><p>Von: det/dpa</p>")
    assert page.authors == ["det/dpa"]


def test_name_in_a_dateline() -> None:
    page = meta_of(
        "", "<small>04.02.2022 | 13:10 Uhr | Uta Helkenberg</small><h1>Stellungnahme der FN</h1>"
    )
    assert page.authors == ["Uta Helkenberg"]


def test_a_person_named_in_the_story_is_not_its_author() -> None:
    person = (
        '<span itemscope itemtype="http://schema.org/Person">'
        '<meta itemprop="name" content="{0}">{0}</span>'
    )
    page = meta_of(
        "",
        "<article><h2>Auktion für den Kirchturm</h2>"
        "<p>Die Gemeinde hat am Samstag alte Stühle, Leuchten und ein Modell aus Gips versteigert,"
        " erklärt Pastor Albrecht Martins an der Seite von Pastorin"
        f" {person.format('Dagmar Posner')}. Rund 300 000 Euro sind bereits zusammengekommen.</p>"
        f"<p><em>Von {person.format('Cosima Künzel')}</em></p></article>",
    )
    assert page.authors == ["Cosima Künzel"]


def test_json_ld_author_by_reference_defers_to_the_printed_byline() -> None:
    ld = (
        '{"@graph": [{"@type": "Article", "headline": "Eine Geschichte", '
        '"author": {"@id": "https://e.org/#a"}}, {"@type": "Person", "@id": "https://e.org/#a", '
        '"name": "Jane Roe"}]}'
    )
    head = f'<script type="application/ld+json">{ld}</script>'
    assert meta_of(head, "<h1>Eine Geschichte</h1><p>Von Uriel Gadessaud</p>").authors == [
        "Uriel Gadessaud"
    ]
    assert meta_of(head, "<h1>Eine Geschichte</h1>").authors == ["Jane Roe"]


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        (["VON MORITZ GATHMANN am 21. April 2020"], ["Moritz Gathmann"]),
        (["Alex Bozarjian Thursday, November 9"], ["Alex Bozarjian"]),
        (["Grant Tinsley, PhD"], ["Grant Tinsley"]),
        (["Nicolas Gutierrez C."], ["Nicolas Gutierrez C."]),
        (["FOCUS-Online-Experte Robin Tschöpe"], ["Robin Tschöpe"]),
        (["View all posts by Daniel Lemire"], ["Daniel Lemire"]),
        (["Loïc Le Clerc"], ["Loïc Le Clerc"]),
        (["Lars Fischer ist Chemiker"], []),
        (["Frankfurter Allgemeine Zeitung GmbH"], []),
        (["Greentech.LIVE Redaktion"], []),
        (["gizzmo"], []),
    ],
)
def test_names_lose_what_bylines_wrap_around_them(raw: list[str], names: list[str]) -> None:
    assert clean_authors(raw, site_name=None, url=None) == names


def test_user_names_only_from_declared_sources() -> None:
    assert clean_authors(["gizzmo"], site_name=None, url=None, handles=True) == ["gizzmo"]
    assert clean_authors(["on"], site_name=None, url=None, handles=True) == []


def test_site_word_is_cut_but_not_from_a_personal_domain() -> None:
    assert clean_authors(
        ["By Adam Aaronson PhillyVoice Staff"], site_name=None, url="https://phillyvoice.com/a"
    ) == ["Adam Aaronson"]
    assert clean_authors(["Daniel Lemire"], site_name=None, url="https://lemire.me/blog/") == [
        "Daniel Lemire"
    ]


@pytest.mark.parametrize(
    ("raw", "printed"),
    [
        ("Redaktion", "Redaktion"),
        ("Autor: przepisy.pl", "przepisy.pl"),
        ("No Author", None),
        ("Pharaoh Okyris wurden entfernt.", None),
        ("cipha[at]cipha.net", None),
        ("2", None),
    ],
)
def test_desk_bylines(raw: str, printed: str | None) -> None:
    assert byline_as_printed(raw, site_name=None, url=None) == printed


def test_the_sites_own_name_is_never_an_author() -> None:
    page = meta_of(
        '<meta property="og:site_name" content="The Beachbody Blog">',
        "<article><h1>A Meal Plan for a Busy Week of Workouts</h1><p class=byline>BY: Beachbody</p>"
        "<p>" + "Plan the meals of the week ahead. " * 15 + "</p></article>",
    )
    assert page.authors == []


def test_a_wire_credit_stays_when_no_person_is_named() -> None:
    page = meta_of(
        '<meta property="og:site_name" content="Rheinische Abendpost">',
        "<article><h1>Stadtrat beschließt neues Fahrradparkhaus</h1><p class=byline>Von dpa</p>"
        "<p>" + "Der Stadtrat hat am Dienstag entschieden. " * 15 + "</p></article>",
    )
    assert page.authors == ["dpa"]


# --- tags ---------------------------------------------------------------------------------


def test_tag_links_are_read_once_each_up_to_thirty_distinct_tags() -> None:
    # each address holds several of the path words ("/tag", "/topic", "tag="): a link is still
    # one tag, and repeats do not use up the thirty places
    links = "".join(f'<a rel="tag" href="/tag/topic-{i}?tag=t{i}">Thema {i}</a>' for i in range(35))
    page = meta_of("", f"<article><h1>Ein Titel hier</h1><p>Text.</p><div>{links}</div></article>")
    assert page.tags == [f"Thema {i}" for i in range(30)]


def test_tag_links_by_address_but_not_a_sites_section_menu() -> None:
    body = (
        '<nav><a href="/themen/politik/">Politik</a><a href="/category/x/">Kategorie</a></nav>'
        "<article><h1>Ein Titel hier</h1><p>Text.</p>"
        '<a href="https://news.example.org/topics/wahlen/">Wahlen</a>'
        '<a href="/Schlagwoerter/Umwelt">Umwelt</a>'
        '<a rel="category tag" href="/tag/sport/">Sport</a></article>'
    )
    assert meta_of("", body).tags == ["Wahlen", "Umwelt"]
