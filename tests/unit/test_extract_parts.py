"""The pieces extraction is built from: each rule as a user would notice it."""

from __future__ import annotations

import re

import pytest

import scraper
from scraper.errors import DecodeError, EmptyInputError, NotHTMLError
from scraper.extract._text import alternation
from scraper.extract.dates import find_date, parse_iso
from scraper.extract.decode import decode_html
from scraper.extract.media import split_credit
from scraper.extract.noise import NoiseContext, classify
from scraper.extract.people import clean_authors
from scraper.extract.titles import clean_title, strip_site
from scraper.normalize import clean_string, content_hash


def test_word_alternation_matches_exactly_its_words() -> None:
    words = ["ad", "ads", "adslot", "advert", "share", "a-b", "x.y"]
    pattern = re.compile(alternation(words))
    for word in words:
        assert pattern.fullmatch(word), word
    for other in ["a", "adv", "adslo", "shar", "ab", "xzy", "sharex", ""]:
        assert pattern.fullmatch(other) is None, other


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("• Live", "navigation"),
        ("  • google plus", "share_widget"),
        ("Share this article", "share_widget"),
        ("Published 4 August 2017", "dateline"),
        ("Updated 3 hours ago | Published March 3, 2021 10:15 AM EST", "dateline"),
        ("14. November 2023, 17:42 Uhr", "dateline"),
        ("Post with no comments.", "comments"),
        ("Comments (3)", "comments"),
        ("Um Kommentare zu lesen und zu schreiben, melden Sie sich bitte an.", "comments"),
        ("READ MORE: France Backs Venezuela Dialogue", "related_link"),
        ("Lesen Sie auch: Kölner Radwege im Test", "related_link"),
        ("Lea también: El puerto amplía su horario de verano", "related_link"),
        ("VEA TAMBIÉN: Nueva ruta de ferry entre las islas", "related_link"),
        ("Czytaj też: Nowy most otwarty dla rowerzystów", "related_link"),
        ("Schon gelesen?", "label"),
        ("To read the full article, please subscribe to The Harbor Post.", "paywall"),
        ("If you’re already a subscriber, you can log in for immediate access.", "paywall"),
        ("Anna Berg on the last climb of the stage. | © AFP / John Doe", "caption"),
        ("Die Skirennfahrerin im Ziel von Wengen. © dpa / Max Muster", "caption"),
        ("Das könnte Sie auch interessieren:", "label"),
        ("Tags: beekeeping, pollinators, urban gardening", "tags"),
        ("Photo: Reuters", "credit"),
        # the plural forms of the credit words open the rules' gate too
        ("Fotos: Sophia Mahnert", "credit"),
        ("Pictures: Jane Doe", "credit"),
        ("Sources: Reuters, AP", "credit"),
        ("Advertisement", "label"),
        ("© 2024 Example Media. All rights reserved.", "footer"),
        ("We use cookies to improve your experience. Accept all", "cookie_banner"),
        ("Sign up for our daily newsletter", "newsletter"),
        ("Please turn on JavaScript to receive automatic updates.", "script_notice"),
        ("By Jane Doe and Tom Baker", "byline"),
        ("6 min readMar 8, 2023", "reading_time"),
        ("1.4K", "counter"),
        ("12 shares", "counter"),
        ("Like Loading...", "label"),
        ("Follow The Harbor Post on Twitter and Instagram and send us a tip.", "social_prompt"),
        ("¡Mira lo que tiene nuestro canal de YouTube!", "social_prompt"),
        ("Folgen Sie uns auf Instagram für mehr Bilder aus der Region.", "social_prompt"),
        (
            "This post contains affiliate links. We may receive a commission when you buy.",
            "disclosure",
        ),
        ("Telefon: +49 (40) 300 30-1141", "contact"),
        ("Klicken Sie auf den Button, um den Inhalt von maps.example zu laden.", "embed_notice"),
        ("Titelbild: Jane Doe/picture-alliance", "credit"),
        ("Crédits photos : Bestimage", "credit"),
        ("Quelle: Deutscher Jagdverband (DJV), 02. Februar 2022, Berlin", "credit"),
        ("(Alle Angaben ohne Gewähr)", "label"),
        ("Über den Autor", "label"),
        ("Um den Artikel kommentieren zu können, müssen Sie eingeloggt sein.", "comments"),
        ("Sofern nicht anders ausgewiesen, stehen Inhalte dieser Website unter CC-BY", "footer"),
        ("Sign up to get the best stories of the week, picked by our editors.", "newsletter"),
        ("Pour accéder en illimité", "paywall"),
        ("Dieser Artikel ist nur für Abonnenten verfügbar.", "paywall"),
        ("Para seguir leyendo, suscríbete a nuestra edición digital.", "paywall"),
        ("Wesprzyj nas darowizną lub przekaż nam 1% podatku.", "donation_prompt"),
        ("Unterstütze unser Magazin schon mit 2,50 € im Monat!", "donation_prompt"),
        ("Die aktuelle Ausgabe ist am Kiosk, im Abo und als E-Paper erhältlich.", "edition_promo"),
        ("Abbildung 4: Eine klassische Schwachschicht in der Schneedecke.", "caption"),
        ("Figure 2. Rainfall by month at the airport station", "caption"),
        ("DHB jetzt auch digital! Einfach hier klicken und registrieren!", "click_prompt"),
        ("To see all the photos from the night, click here.", "click_prompt"),
        ("SEE MORE: Harbor strike enters its second week", "related_link"),
        ("DON'T MISS", "label"),
        ("Ferry fares to rise in spring, board says [INSIGHT]", "related_link"),
        ("Harbor levy [/2] to rise, board says [INSIGHT]", "related_link"),
        ("Updated at 1:23 p.m.", "dateline"),
        ('[button link="https://example.org/submit"]Send us YOUR review[/button]', "shortcode"),
        ("Redakteurin in der Wirtschaft.", "byline"),
        ("Staff writer at the Harbor Post", "byline"),
        ("Vorschau auf den nächsten Artikel", "label"),
        ("Mehr zum Thema auf example.de", "label"),
        ("Ten tekst przeczytasz w mniej niż minutę", "reading_time"),
        ("Less than a minute read", "reading_time"),
        (
            "Gefällt dir unser Magazin? Wir haben entschieden, keine Bezahlschranke einzuführen.",
            "donation_prompt",
        ),
        ("Mit diesem Button kannst Du die Folge zu deiner Liste hinzufügen.", "button_prompt"),
        ("Jetzt anmelden und exklusive Angebote erhalten!", "promo"),
        ("First-time subscribers also receive a welcome gift from our shop.", "promo"),
        ("For the latest news and updates download the Harbor Post app.", "social_prompt"),
        ("Submit your letter to the editor via this form.", "promo"),
        ("Alle Pressemitteilungen der Harbor AG | RSS-Feed abonnieren", "newsletter"),
    ],
)
def test_noise_lines_are_classified(line: str, reason: str) -> None:
    assert classify(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "He was born in 1990.",
        "The company said it would email subscribers about the change next week.",
        "He declined to comment on the matter.",
        "Share prices fell 3% on Tuesday after the announcement.",
        "The United States will not recognize Venezuela’s National Constituent Assembly.",
        "Live music returns to the park on Saturday, organisers said.",
        "Mira lo que hizo el ayuntamiento con la vieja estación de tren.",
        "Lea Müller leitet seit März die Redaktion in Köln.",
        "The museum said the © symbol on the poster was added later.",
        "If you want to see the full story of the trip, read the book.",
        "The ministry urged residents to download the app and follow its instructions.",
        "Quelle der Daten ist das Statistische Bundesamt, das die Zahlen am Montag vorlegte.",
        "He said the phone number was never published.",
        "The club will join Facebook and Twitter next year, its chairman told reporters.",
        "Pour accéder au site, les habitants doivent passer par le pont.",
        "Der Artikel ist im Archiv der Stadtbibliothek zu finden.",
        "The senator said she would support the bill if the fee were cut to $2.50.",
        "4:14 p.m.",
        "Editor Jane Roe said the paper would appeal the ruling.",
        "Reporters were kept outside the building until noon.",
        "The meeting lasted less than a minute.",
        "The newspaper introduced a paywall in 2019, its editor said.",
        "With this button the pilot can eject the seat, the engineer explained.",
        "The airline said it had signed an exclusive deal with the port authority.",
        "In a letter to the editor, the mayor said the plan was flawed.",
        "The vote [PDF] was published on Tuesday, the council said.",
    ],
)
def test_article_sentences_are_kept(line: str) -> None:
    assert classify(line) is None


def test_caption_repeated_with_a_credit_is_noise() -> None:
    ctx = NoiseContext()
    ctx.add_caption("A woman casts her vote at a polling station in Caracas.")
    assert classify("A woman casts her vote at a polling station in Caracas. | Photo: Reuters", ctx)
    assert classify("A woman casts her vote at a polling station in Caracas.", ctx) == "caption"


@pytest.mark.parametrize(
    ("text", "caption", "credit"),
    [
        ("A vote in Caracas. | Photo: Reuters", "A vote in Caracas.", "Reuters"),
        ("Flood waters rise (Getty Images)", "Flood waters rise", "Getty Images"),
        (
            "Protesters gather. Credit: Jane Smith/Reuters",
            "Protesters gather.",
            "Jane Smith/Reuters",
        ),
        ("A quiet street © AFP", "A quiet street", "AFP"),
        ("No credit here.", "No credit here.", None),
    ],
)
def test_credit_is_split_off_captions(text: str, caption: str, credit: str | None) -> None:
    assert split_credit(text) == (caption, credit)


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2024-07-10T18:42:00-07:00", "2024-07-10T18:42:00-07:00"),
        ("2019-11-19T13:03:00Z", "2019-11-19T13:03:00+00:00"),
        ("2019-11-19T13:03:00", "2019-11-19"),
        ("Tue, 19 Nov 2019 13:03:00 GMT", "2019-11-19T13:03:00+00:00"),
        ("2017-08-04", "2017-08-04"),
        ("Published 4 August 2017", "2017-08-04"),
    ],
)
def test_dates_become_iso_8601(value: str, iso: str) -> None:
    assert parse_iso(value) == iso


def test_human_dates_in_several_languages() -> None:
    assert find_date("14. November 2023, 17:42 Uhr") == "2023-11-14"
    assert find_date("Publié le 3 mars 2021") == "2021-03-03"
    assert find_date("27 de junio de 2015") == "2015-06-27"
    assert find_date("Aug. 4, 2017") == "2017-08-04"
    assert find_date("nothing here") is None


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        (["By Ana Ruiz, Senior Correspondent and Tom Baker"], ["Ana Ruiz", "Tom Baker"]),
        (["By JOHN SMITH and MARIA GARCIA | Associated Press"], ["John Smith", "Maria Garcia"]),
        (["Sarah E. Needleman"], ["Sarah E. Needleman"]),
        (["Von Katrin Wölfel"], ["Katrin Wölfel"]),
        (["Example News Staff"], []),
        (["Example News"], []),
    ],
)
def test_authors_are_people_only(raw: list[str], names: list[str]) -> None:
    assert clean_authors(raw, site_name="Example News", url="https://example.com/a") == names


def test_title_loses_site_suffix_and_prefers_matching_h1() -> None:
    assert strip_site("Story of the day - BBC News", "BBC News", None) == "Story of the day"
    assert strip_site("EuroMarkets Weekly :: Coffee prices climb", "EuroMarkets Weekly", None) == (
        "Coffee prices climb"
    )
    assert (
        clean_title(
            "US Will Not Recognize Venezuela's Assembly",
            ["US Will Not Recognize Venezuela's Assembly | News | teleSUR English"],
            "teleSUR English",
            None,
        )
        == "US Will Not Recognize Venezuela's Assembly"
    )


def test_declared_legacy_charset_is_decoded() -> None:
    page = '<html><head><meta charset="windows-1252"></head><body>Café – 5 €</body></html>'
    assert "Café – 5 €" in decode_html(page.encode("cp1252"))


def test_undeclared_charset_is_detected() -> None:
    text = "<p>Überraschung in Köln: Straßenbahn fährt wieder, sagt die Bürgermeisterin.</p>" * 5
    assert "Straßenbahn" in decode_html(text.encode("latin-1"))


@pytest.mark.parametrize(
    ("data", "error"),
    [(b"", EmptyInputError), (b"%PDF-1.4", NotHTMLError), (b"\x1f\x8bnot gzip", DecodeError)],
)
def test_undecodable_input_raises_a_clear_error(data: bytes, error: type[Exception]) -> None:
    from scraper.extract.decode import maybe_gunzip

    with pytest.raises(error):
        decode_html(maybe_gunzip(data))


def test_mojibake_is_repaired_and_quotes_kept() -> None:
    assert clean_string("donâ€™t go to the cafÃ©") == "don’t go to the café"
    assert clean_string("  He said   “yes”  ") == "He said “yes”"


def test_content_hash_ignores_whitespace_only() -> None:
    assert content_hash("a b\n\nc") == content_hash("a  b c")
    assert content_hash("a b c") != content_hash("a b d")


_PLAN_PAGE = """<html><head><title>A week of simple breakfasts</title></head><body>
<article><h1>A week of simple breakfasts</h1><div class="entry-content">
<p>Planning breakfast ahead saves time on busy mornings, and repeating a good meal on several
days is part of the plan: it keeps the shopping list short and the portions easy to judge.</p>
<h3>Monday</h3>
<p>Oatmeal with berries: 1 cup oats, 1 cup blueberries, 1 tsp. honey, 8 oz. milk.</p>
<h3>Tuesday</h3>
<p>Oatmeal with berries: 1 cup oats, 1 cup blueberries, 1 tsp. honey, 8 oz. milk.</p>
<p>Soak the oats overnight if you want them ready in the morning without any cooking at all,
and keep the berries frozen so that they last the whole week without going soft.</p>
<p>Soak the oats overnight if you want them ready in the morning without any cooking at all,
and keep the berries frozen so that they last the whole week without going soft.</p>
<p>The nutrition figures come from the national food database, which publishes them online:</p>
<p><a href="https://food.example.org/oats">https://food.example.org/oats</a></p>
</div></article></body></html>"""


def test_repeated_plan_lines_stay_and_a_paragraph_printed_twice_goes() -> None:
    body = scraper.extract(_PLAN_PAGE, url="https://plans.example/breakfasts").body
    assert body.count("Oatmeal with berries: 1 cup oats") == 2  # the plan repeats it
    assert body.count("Soak the oats overnight") == 1  # a template printed it twice in a row
    assert "https://food.example.org/oats" in body  # a source cited by its address


def test_sentences_without_spaces_are_not_taken_for_kickers() -> None:
    chinese = [
        "新的渡轮将于六月开始每二十分钟开出一班，交通委员会在周二的会议上作出了这一决定。",
        "委员会表示，增加的班次需要每年约一百二十万美元，其中大部分用于船员工资和燃料。",
    ]
    english = (
        "The board said the new timetable would be published four weeks before the change,"
        " and that the old service would continue if the second vessel arrived late."
    )
    html = (
        "<html><body><article><h1>渡轮时刻表</h1><div class='story'>"
        "<p>新闻</p>" + "".join(f"<p>{p}</p>" for p in chinese) + f"<p>{english}</p>"
        "</div></article></body></html>"
    )
    body = scraper.extract(html, url="https://harbor.example/zh/ferry").body
    assert all(p in body for p in chinese)
    assert "新闻" not in body.split("\n\n")  # the kicker still goes


def test_linked_headlines_after_the_story_go_and_linked_lists_inside_it_stay() -> None:
    topics = ["costs", "crew hours", "the old pier", "fares", "night sailings", "the new ramp"]
    topics += ["freight", "school runs", "tourism", "the winter timetable"]
    prose = [
        f"<p>The harbor board spent most of Tuesday's meeting on {topic}, and members said"
        f" the debate about {topic} would continue when the timetable is reviewed next year.</p>"
        for topic in topics
    ]
    sources = (
        "<ul><li><a href='/a'>Board minutes for the March meeting of the harbor board</a></li>"
        "<li><a href='/b'>Ferry operator statement on the new timetable and fares</a></li></ul>"
    )
    more = (
        "<p>More information:</p><ul>"
        "<li><a href='/c'>Island shops ask for a night freight crossing to keep shelves</a></li>"
        "<li><a href='/d'>School roof fixed before the spring storms, the council says</a>"
        "</li></ul>"
    )
    html = (
        "<html><body><article><h1>Ferry timetable approved</h1><div class='story'>"
        + "".join(prose[:5])
        + sources
        + "".join(prose[5:])
        + more
        + "</div></article></body></html>"
    )
    body = scraper.extract(html, url="https://harbor.example/news/ferry").body
    assert "Board minutes for the March meeting" in body  # cited inside the story
    assert "Island shops ask for a night freight crossing" not in body
    assert "More information:" not in body


def test_trafilatura_sees_the_same_page_from_our_parse_as_from_the_string() -> None:
    """The tree handed to trafilatura (parsed with a C class lookup) gives what its own parse
    of the string gives, form fields and all."""
    from copy import copy

    import trafilatura

    from scraper.extract.content import _OPTIONS, _blocks, _parsed, extract_blocks

    paragraph = "The council voted on Tuesday to keep the library open on Sundays. " * 3
    html = (
        "<html><body><div class='story'>"
        f"<h2>Library hours</h2><p>{paragraph}</p>"
        "<form><label>Search <input name='q'></label><select><option>All</option></select></form>"
        f"<ul><li>First point of the plan</li><li>Second point</li></ul><p>{paragraph}</p>"
        "</div></body></html>"
    )
    reference = trafilatura.bare_extraction(html, options=copy(_OPTIONS))
    assert not isinstance(_parsed(html), str)
    blocks = extract_blocks(html)
    assert blocks == _blocks(reference.body)
    assert [b.kind for b in blocks][:2] == ["head", "p"]
    assert _parsed("no markup at all") == "no markup at all"  # trafilatura's own path decides


def test_headings_left_with_nothing_under_them_and_the_authors_bio_go() -> None:
    prose = [
        "The harbor board approved the new ferry timetable on Tuesday after a debate that"
        " ran for most of the afternoon and ended with a unanimous vote.",
        "Jane Roe said at the meeting that the extra crossings would start in June, and"
        " that the board would review the fares again before the winter season.",
        "Residents of the island welcomed the decision but asked the board to keep the"
        " late sailing on Saturdays, which the old timetable had dropped two years ago.",
    ]
    html = (
        "<html><head><meta name='author' content='Jane Roe'></head><body><article>"
        "<h1>Ferry timetable approved</h1><div class='story'>"
        "<p>Jane Roe covers the harbor and the islands for the Harbor Post.</p>"
        + "".join(f"<p>{p}</p>" for p in prose)
        + "<h3>More from the harbor</h3><h3>Sources:</h3>"
        "</div></article></body></html>"
    )
    page = scraper.extract(html, url="https://harbor.example/news/ferry")
    assert page.authors == ["Jane Roe"]
    assert page.body.split("\n\n") == prose  # the source of a quote stays
    assert "covers the harbor" not in page.body
    assert "More from the harbor" not in page.body


def test_a_noscript_left_open_does_not_swallow_the_page() -> None:
    paragraphs = [
        f"On day {day} of the hearing the harbor board heard from ferry crews, island shop"
        f" owners and parents about the timetable, and the chair said the board would answer"
        f" every question raised on day {day} in writing before the vote."
        for day in range(1, 13)
    ]
    html = (
        "<html><body><noscript><div id='nojs'></noscript><div id='page'>"
        "<table><tr><td><div class='text'>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</div></td></tr></table></div></body></html>"
    )
    assert scraper.extract(html).body.split("\n\n") == paragraphs


def test_short_lines_over_the_story_go_only_when_they_stand_alone() -> None:
    steps = [
        "Put all the ingredients in a bowl and knead them into a smooth dough with the hooks"
        " of a hand mixer, then let it rest in the fridge for half an hour.",
        "Roll the dough out on a floured surface, cut out any shapes you like and bake them"
        " in the middle of the oven for fifteen minutes until golden.",
    ]
    ingredients = ["300 g flour", "200 g sugar", "1 pinch salt", "1 egg", "1 tsp cinnamon"]
    html = (
        "<html><body><article><h1>Almond biscuits</h1><div class='recipe'>"
        "<p>Baking</p>"
        + "".join(f"<p>{i}</p>" for i in ingredients)
        + "".join(f"<p>{s}</p>" for s in steps)
        + "</div></article></body></html>"
    )
    body = scraper.extract(html, url="https://kitchen.example/almond-biscuits").body
    assert body.split("\n\n") == ["Baking", *ingredients, *steps]  # a list, not kickers
    letter = (
        "<html><body><article><h1>Goodbye</h1><div class='post'><p>Opinion</p>"
        "<p>Dear readers,</p>" + "".join(f"<p>{s}</p>" for s in steps) + "</div></article>"
        "</body></html>"
    )
    body = scraper.extract(letter, url="https://kitchen.example/goodbye").body
    assert body.split("\n\n") == ["Dear readers,", *steps]  # the kicker goes, the greeting stays
    section = letter.replace("<p>Opinion</p>", "<h2>Press releases</h2>")
    body = scraper.extract(section, url="https://kitchen.example/goodbye").body
    assert body.split("\n\n") == ["Dear readers,", *steps]  # a section's name over the story


def _module(paragraphs: list[str]) -> str:
    return (
        "<div class='editorial-module editorial-module--text'><div class='text'>"
        "<div class='text-text'>"
        + "".join(f"<p><span>{p}</span></p>" for p in paragraphs)
        + "</div></div></div>"
    )


def test_the_opening_paragraphs_in_a_module_of_their_own_are_kept() -> None:
    """An extractor that settles on the long module below skips the opening set apart."""
    intro = [
        "Some events cut a life in two, into a before and an after. For the actress, that day"
        " came in September 2001 with a stroke and bleeding that did not stop for nine days.",
        "Twenty-one years later she sits cross-legged on a sofa in her house in Los Angeles and"
        " talks about the long way back, about her sons and about the roles she turned down.",
    ]
    answers = [
        f"Question {i}: what did the years after the stroke teach you about work, about friends"
        " and about the people who stayed when the offers stopped coming, she was asked."
        for i in range(10)
    ]
    html = (
        "<html><head><title>Before and after</title></head><body>"
        "<section class='content' role='main'><div class='single-wrapper'>"
        "<section class='single-meta'><h4>ICON</h4><time>November 2022</time></section>"
        + _module(intro)
        + _module(["“The stroke took my health, my money and my fame.”"])
        + "<div class='editorial-module editorial-module--video'><div class='video'>"
        "<button>Play</button></div></div>"
        + _module(answers[:5])
        + _module(answers[5:])
        + "</div></section></body></html>"
    )
    body = scraper.extract(html, url="https://magazine.example/interview").body
    assert body.split("\n\n")[:2] == intro
    assert answers[0] in body


def test_blocks_above_stops_at_the_block_it_is_given() -> None:
    from selectolax.lexbor import LexborHTMLParser

    from scraper.extract.blocks import blocks_above

    root = LexborHTMLParser(
        "<div><h2>Kicker</h2><p>The lede of the story, set apart.</p><div><p>First paragraph"
        " the extractor kept.</p><p>Second.</p></div></div>"
    ).css_first("div")
    assert root is not None
    above = blocks_above(root, "First paragraph the extractor kept.")
    assert [b.text for b in above or []] == ["Kicker", "The lede of the story, set apart."]
    assert blocks_above(root, "A paragraph from elsewhere entirely.") is None


def test_with_no_container_the_lede_over_the_extracted_text_comes_back() -> None:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

    from scraper.extract import _with_lede_above
    from scraper.extract.content import Block

    lede = (
        "Thousands of passengers pass the zoo station every day, and from now on they can"
        " watch a new tower for the rhinos grow on the other side of the fence."
    )
    story = [
        "After the foundation stone was laid last summer, the builders said the frame of the"
        " pagoda would be finished by the spring.",
        "The keepers expect the rhinos to move in before the summer holidays begin.",
    ]

    def body(over: str) -> LexborNode:
        html = (
            "<body><p>Other story: the aquarium opens a hall for jellyfish next month, with a"
            " party for the children of the district.</p><h1>The tower of wishes</h1>"
            f"{over}<p>21.01.2022</p>" + "".join(f"<p>{p}</p>" for p in story) + "</body>"
        )
        node = LexborHTMLParser(html).body
        assert node is not None
        return node

    picked = [Block("p", p) for p in story]  # what the extractor kept: the lede passed over
    assert [b.text for b in _with_lede_above(picked, body(f"<p>{lede}</p>"))] == [lede, *story]
    pull_quote = f"<p>“{lede}”</p>"
    assert [b.text for b in _with_lede_above(picked, body(pull_quote))] == story
    teaser = f"<p>{lede[:-1]}…</p>"
    assert [b.text for b in _with_lede_above(picked, body(teaser))] == story
