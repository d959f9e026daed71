"""What noise looks like, as text: one module for HTML blocks and text-dump lines.

``classify`` answers with a reason (``"share_widget"``, ``"dateline"``, ...)
or ``None`` for article text. The rules look at one block at a time; the
callers add what only they can see (DOM position, neighbouring lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scraper.extract._text import fold
from scraper.extract.dates import MONTH_PATTERN, find_date

BULLET = re.compile(r"^\s*[•·●▪◦‣∙*►▶»\-–—+]\s*")
BULLET_CHARS = frozenset("•·●▪◦‣∙*►▶»-–—+")

_SHARE = {
    "facebook", "twitter", "x", "google plus", "google+", "googleplus", "linkedin", "whatsapp",
    "email", "e-mail", "mail", "print", "pinterest", "reddit", "telegram", "tumblr", "flipboard",
    "messenger", "copy link", "copy url", "link copied", "share", "share this", "share on",
    "share this article", "share this story", "share this post", "share article", "share story",
    "tweet", "pin it", "whatsapp us", "sharing", "shares", "xing", "vk", "line", "threads",
    "bluesky", "mastodon", "sms", "share via email", "share on facebook", "share on twitter",
    "share on linkedin", "share on whatsapp", "share via", "follow us", "teilen", "partager",
    "compartir", "condividi", "delen", "dela", "drucken", "imprimer", "imprimir", "stampa",
    "twittern", "mailen", "versenden",
}  # fmt: skip
_NAV = {
    "live", "audio only", "video", "videos", "home", "menu", "search", "skip to content",
    "skip to main content", "skip navigation", "sign in", "log in", "login", "logout", "sign up",
    "register", "subscribe", "subscribe now", "close", "back to top", "top", "next", "previous",
    "next article", "previous article", "more", "load more", "show more", "news", "sport", "sports",
    "opinion", "world", "business", "politics", "podcasts", "newsletters", "watch live",
    "listen", "listen to this article", "audio", "play", "pause", "toggle navigation",
    "open menu", "close menu", "startseite", "accueil", "inicio", "suche", "rechercher", "buscar",
    "anmelden", "connexion", "iniciar sesión", "zurück", "retour", "volver", "weiter", "suivant",
}  # fmt: skip
_LABELS = {
    "advertisement", "advertising", "advert", "ad", "ads", "sponsored", "sponsored content",
    "paid content", "promoted", "partner content", "read more", "continue reading",
    "read full story",
    "read the full story", "read full article", "more on this story", "related", "related articles",
    "related stories", "related content", "related posts", "related news", "see also", "also read",
    "recommended", "recommended for you", "you may also like", "you might also like",
    "most read", "most popular", "trending", "trending now", "popular", "editor's picks",
    "more from", "more stories", "more news", "top stories", "latest news", "latest", "like this:",
    "like this", "loading...", "loading", "like loading...", "like loading", "anzeige", "werbung",
    "publicité", "publicidad",
    "pubblicità", "advertentie", "reklame", "mehr zum thema", "weiterlesen", "lire aussi",
    "lire la suite", "à lire aussi", "leer más", "lee también", "te puede interesar",
    "leggi anche", "scroll to continue with content", "story continues below advertisement",
    "article continues below", "continue reading below", "ad feedback", "report an ad",
    "click to enlarge", "enlarge this image", "toggle caption", "hide caption", "expand",
    "view gallery", "open gallery", "image", "photo", "video player", "watch", "watch:",
    "listen:", "print this page", "print article", "print this article", "font size",
    "text size", "a a a", "aa", "bookmark", "save", "save article", "saved", "gift article",
    "view comments", "show comments", "hide comments", "schon gelesen?", "empfohlene beiträge",
    "mehr themen", "videos zum thema", "mehr aus der sendung", "diesen artikel teilen",
    "das könnte sie auch interessieren", "das könnte dich auch interessieren",
    "das thema könnte dich auch interessieren", "inhaltsverzeichnis", "table of contents",
    "contents", "lea también", "vea también", "czytaj też", "czytaj także", "zobacz też",
    "zobacz także", "leia também", "veja também", "alle angaben ohne gewähr",
    "angaben ohne gewähr", "author", "autor", "auteur", "autore", "about the author",
    "über den autor", "über die autorin", "zur person", "à propos de l'auteur",
    "sobre el autor", "l'auteur", "die autorin", "der autor", "don't miss", "don’t miss",
    "must read", "must-read", "vorschau auf den nächsten artikel", "nächster artikel",
    "vorheriger artikel", "article suivant", "article précédent", "artículo siguiente",
    "artículo anterior", "articolo successivo", "articolo precedente", "beiträge aus dem forum",
    "aus dem forum", "from the forum", "from our forum",
}  # fmt: skip

_COMMENTS = re.compile(
    r"^(?:post with no comments\.?|no comments(?: yet)?[.!]?|\(?\d+\)?\s*comments?|comments?"
    r"(?:\s*\(\d+\))?|comment|leave a (?:reply|comment)|add (?:a|your) comment|"
    r"(?:top|most) (?:rated|recent|popular) comments|(?:show|view|read|see) (?:all )?comments|"
    r"be the first to comment.*|join the (?:conversation|discussion).*|show \d+ comments?|"
    r"view \d+ comments?|\d+ (?:responses?|replies)|reply|cancel reply|post a comment|"
    r"kommentare?(?:\s*\(\d+\))?|commentaires?(?:\s*\(\d+\))?|comentarios?(?:\s*\(\d+\))?|"
    r"commenti|reacties|to post comments.*|comments are closed\.?|"
    r"you must be logged in to post a comment\.?|log in to comment\.?)$",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^(?:(?:first\s+|last\s+)?(?:published|updated|posted|modified|created|date|"
    r"veröffentlicht|aktualisiert|publié|mis à jour|publicado|actualizado|pubblicato|"
    r"aggiornato|gepubliceerd)(?:\s+(?:on|at|am|le|el|il))?\s*:?\s*)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"[\w.,:/\-| ]{0,48}\d{4}[\w.,:/\-+()| ]{0,30}$",
    re.IGNORECASE,
)
_RELATIVE_TIME = re.compile(
    r"^(?:(?:last\s+)?(?:published|updated|posted)\s*:?\s*)?\d{1,2}\s*"
    r"(?:seconds?|minutes?|mins?|hours?|hrs?|h|m|d|days?|weeks?)\s+ago"
    r"(?:\s+at\s+\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?)?$",
    re.IGNORECASE,
)
# A label that names the site it points to: "more on this story at example.com".
_ON_SITE = re.compile(r"^(.+?)\s+(?:auf|on|at|bei|sur|en|su|na)\s+[\w.-]+\.[a-z]{2,6}$")
# "Updated at 1:23 p.m.": when, on a day the page says elsewhere.
_TIME_DATELINE = re.compile(
    r"^(?:last\s+)?(?:published|updated|posted|modified)\s*(?:at|:)?\s*\d{1,2}[:.]\d{2}"
    r"\s*(?:[ap]\.?m\.?)?(?:\s+[a-z]{2,4})?\.?$",
    re.IGNORECASE,
)
# A shortcode a CMS did not expand ("[button link=...]Send us your review[/button]").
_SHORTCODE = re.compile(r"\[/[a-z_]+\]|^\[[a-z_]+(?:\s+[a-z_]+=[^\]]*)?\]", re.IGNORECASE)
# "China furious at Macron [INSIGHT]": a headline tagged with what it links to.
_TAGGED_HEADLINE = re.compile(r"\s\[[A-Z]{3,12}\]\s*\|?$")
_DATE_WORDS = re.compile(
    rf"\b(?:{MONTH_PATTERN}|(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun"
    r"|am|pm|a\.m|p\.m|at|on|de|del|le|the|of)\b\.?",
    re.IGNORECASE,
)
_DATELINE_LEAD = re.compile(
    r"^(?:(?:first\s+|last\s+)?(?:published|updated|posted|modified)|veröffentlicht|"
    r"aktualisiert|publié|publicado|actualizado|pubblicato)\b",
    re.IGNORECASE,
)
_RELATED_PREFIX = re.compile(
    r"^(?:read(?: more| also| next)?|also read|see (?:also|more)|related|more|watch|listen|"
    r"recommended|"
    r"up next|next up|coming up|"
    r"lesen sie (?:auch|mehr)|mehr zum thema|auch interessant|lire (?:aussi|également)|"
    r"à lire aussi|voir aussi|lee (?:también|más)|leer más|ver también|te puede interesar|"
    r"leggi anche|lees ook|läs även|les også|lea(?: también| más| además)?|vea(?: también)?|"
    r"mire|mira|leia (?:também|mais)|veja (?:também|mais)|czytaj (?:też|także|również)|"
    r"zobacz (?:też|także|również)|schon gelesen)\s*[:>»|\-–—?]\s*(\S.*)$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:(?:written|posted|reported)\s+)?(?:by|von|par|por|door|av)\s*:?\s+"
    r"[^\W\d_][\w'’.\- ]{1,60}(?:(?:,|\band\b|&|\bund\b|\bet\b|\by\b|\|)\s*[\w'’.\- ]{2,60}){0,3}$",
    re.IGNORECASE,
)
# "Redakteur in der Wirtschaft.", "Staff writer at the Post": an author box's role line.
_ROLE_LINE = re.compile(
    r"^(?:senior |chief |staff |contributing |freie[rn]? |leitende[rn]? |stellvertretende[rn]? )?"
    r"(?:reporter(?:in)?|correspondent|editor|writer|columnist|redakteur(?:in)?|"
    r"korrespondent(?:in)?|journalist(?:in)?|volontär(?:in)?|rédact(?:eur|rice)|journaliste|"
    r"correspondant(?:e)?|periodista|redactor(?:a)?|corresponsal|giornalista|redatt(?:ore|rice))"
    r"(?:\s(?:in|at|for|of|on|bei|für|im|der|des|beim|de|du|à|en|di|del|della|w|dla)\s"
    r"[^.!?:]{1,60})?\.?$",
    re.IGNORECASE,
)
_TAGS = re.compile(
    r"^(?:tags?|topics?|filed under|categories|category|keywords|schlagwörter|themen|"
    r"mots-clés|étiquettes|etiquetas|temas|argomenti)\s*:\s*(.+)$",
    re.IGNORECASE,
)
_CREDIT_ONLY = re.compile(
    r"^(?:\(?(?:photo|photograph|image|picture|pic|credit|source|foto|bild|quelle|"
    r"illustration|video|graphic|titelbild|titelfoto|beitragsbild|bildquelle|bildnachweis|"
    r"fotonachweis|crédit|crédito)s?\s*(?:credit|photos?|fotos?)?\s*[:/]\s*[^.!?]{1,80}\)?|"
    # a source named with a date ("Quelle: DJV, 02. Februar 2022, Berlin"): no sentence end
    r"(?:quelle|source|fuente|fonte)\s*:\s*[^!?]{1,100}(?<![a-z]{3}\.)|"
    r"©\s*[^.!?]{1,80}|\((?:getty images|ap|afp|reuters|epa|dpa)[^)]{0,40}\))$",
    re.IGNORECASE,
)
# "Abbildung 4: ...", "Figure 2. ...": a numbered figure's caption, left where the figure was.
_FIGURE_CAPTION = re.compile(
    r"^(?:abbildung|abb\.|figure|fig\.|grafik|schaubild|tabelle|table|chart|figura|gráfico|"
    r"tableau)\s*\d+[a-z]?\s*[:.–-]\s*\S",
    re.IGNORECASE,
)
_CAPTION_CREDIT = re.compile(r"[.!?|]\s*©\s*[^.!?©|]{1,60}$")
_FOOTER = re.compile(
    r"^(?:©|\(c\)|copyright\b).{0,200}$|all rights reserved\.?$|"
    r"^(?:terms (?:of|and) (?:use|service)|privacy policy|cookie policy|contact us|about us|"
    r"impressum|datenschutz|mentions légales|aviso legal)\b.{0,80}$|"
    r"\b(?:cc[ -]by(?:[ -](?:sa|nd|nc))*|creative commons)\b.{0,40}$",
    re.IGNORECASE,
)
_COOKIE = re.compile(r"\bcookies?\b", re.IGNORECASE)
_COOKIE_CTX = re.compile(
    r"\b(?:accept|consent|we use|this (?:site|website) uses|agree|preferences|settings|"
    r"privacy|akzeptieren|accepter|aceptar)\b",
    re.IGNORECASE,
)
_NEWSLETTER = re.compile(
    r"\b(?:newsletter|sign up|signup|subscribe|subscription|inbox|abonnieren|"
    r"s'abonner|abonnez-vous|suscríbete|suscribirse|iscriviti)\b",
    re.IGNORECASE,
)
_NEWSLETTER_CTX = re.compile(
    r"\b(?:newsletters?|inbox|briefing|our (?:daily|weekly|free|email)|email (?:updates|alerts)|"
    r"news ?alerts|delivered (?:to|straight|right)|sign up to (?:get|receive)|rss)\b",
    re.IGNORECASE,
)
_PAYWALL = re.compile(
    r"^(?:subscribe to (?:continue|read)|already a subscriber\??|this (?:article|story|content)"
    r" is (?:for|available to) (?:subscribers|members)|register to continue|"
    r"to continue reading.{0,60}|unlock this article.{0,40}|become a member.{0,40}|"
    r"to (?:view|read|see) the (?:full|whole|entire|rest of the) (?:story|article).{0,120}|"
    r"subscribe now\b.{0,60}\b(?:full|whole|entire) (?:story|article)|"
    r"if you(?:'|’)re (?:seeing this message but you(?:'|’)re )?already a subscriber.{0,100}|"
    r"pour (?:accéder (?:en illimité|à la suite|à l'intégralité|à cet article)|lire la suite)"
    r"\b.{0,80}|réservé aux abonnés.{0,80}|"
    r"(?:dieser|der) (?:artikel|beitrag|inhalt) ist (?:nur )?(?:für|exklusiv für) "
    r"(?:abonnenten|abonnentinnen|abonnent\*innen).{0,80}|weiterlesen mit .{0,60}|"
    r"para (?:seguir|continuar) leyendo.{0,80}|contenido exclusivo para suscriptores.{0,60}|"
    r"per continuare a leggere.{0,80})",
    re.IGNORECASE,
)
# Asking readers for money: a call to support, and a gift, a price or the paywall it pays
# for ("Support our journalism with a donation", "Wesprzyj nas darowizną").
_SUPPORT = re.compile(
    r"\b(?:support (?:us|our (?:work|journalism|reporting))|unterstütze|unterstützen sie|"
    r"unterstützt uns|wesprzyj|soutenez|apóyanos|apoya a|sostieni|sostienici|steun ons)\b",
    re.IGNORECASE,
)
_SUPPORT_CTX = re.compile(
    r"€|\$|£|\b\d+[,.]\d{2}\b|\b(?:donat\w*|spende\w*|paywall|bezahlschranke|darowizn\w*|dons?|"
    r"donación|donazione|steady|patreon|paypal|abo|membership|mitgliedschaft)\b",
    re.IGNORECASE,
)
# Offers and calls to readers: "erhalten Sie exklusive Angebote", "subscribers receive a
# gift", "Submit your letter to the editor".
_OFFER = re.compile(
    r"\b(?:(?:submit|send|write) (?:us )?(?:your |a )?letter to the editor|"
    r"leserbrief (?:schreiben|senden)|exklusive (?:angebote|vorteile)|"
    r"exclusive (?:offers|deals|discounts)|"
    r"offres exclusives|ofertas exclusivas|offerte esclusive|"
    r"subscribers? (?:also )?(?:receive|get)\b.{0,60}\b(?:gift|discount|offer))",
    re.IGNORECASE,
)
# The publisher's print edition for sale: an issue and where it is to be had.
_EDITION = re.compile(
    r"\b(?:ausgabe|heft|einzelheft|e-?paper|magazin|abo)\b.{0,120}\b(?:erhältlich|bestellen|"
    r"im handel|am kiosk)\b|\b(?:erhältlich|bestellen)\b.{0,80}\b(?:einzelheft|e-?paper|abo)\b",
    re.IGNORECASE,
)
_LOGIN_WORD = re.compile(
    r"\b(?:log ?in|sign ?in|register|subscribers?|anmelden|melden sie sich|registrieren|"
    r"connectez|identifiez|inicia sesión|regístrate|accedi|eingeloggt|angemeldet|"
    r"einloggen|connecté)\b",
    re.IGNORECASE,
)
_SCRIPT_NOTICE = re.compile(
    r"^(?:please\s+)?(?:enable|turn on|activate|aktivieren sie|activez)\s+javascript\b.{0,80}$|"
    r"^javascript (?:is|must be) (?:disabled|required|enabled).{0,80}$|"
    r"^your browser does not support.{0,80}$",
    re.IGNORECASE,
)
_SOCIAL_CTA = re.compile(
    r"^(?:follow (?:us|\w+) on (?:twitter|facebook|instagram|x|linkedin|tiktok|threads)"
    r"|like us on facebook|share (?:this|on) \w+|click (?:here )?to share.{0,40})",
    re.IGNORECASE,
)
# The publisher's own channels, the calls to use them, and the publisher speaking: a
# block with one of each is a prompt ("Follow us on Instagram", "Únete a nuestro canal de
# Telegram"); a story may tell its subjects' calls to download an app.
_CHANNEL_TOKENS = frozenset(
    """telegram whatsapp youtube instagram facebook twitter tiktok app apps podcast
    newsletter newsletters epaper""".split()  # noqa: SIM905
)
_LATEST_NEWS = re.compile(r"(?:for|get) (?:the )?latest (?:news|stories|updates|headlines)\b")
_PUBLISHER_VOICE = frozenset(
    """us our unser unsere unseren unserem unserer uns nuestro nuestra nuestros nuestras
    tenemos notre nos nous nostro nostra nasz nasza naszym ons onze""".split()  # noqa: SIM905
)
_CTA_TOKENS = frozenset(
    """follow join download subscribe install folge folgen folgt abonniere abonnieren
    abonnez abonne suivez rejoignez rejoins téléchargez télécharger síguenos siguenos
    únete unete descarga descargue suscríbete mira seguici iscriviti scarica volg
    obserwuj dołącz pobierz""".split()  # noqa: SIM905
)
# "We may receive compensation when you click on links": an affiliate disclosure.
_DISCLOSURE = re.compile(
    r"\b(?:we|i) (?:may )?(?:receive|earn|get) (?:an? )?(?:small )?(?:compensation|commission)|"
    r"\b(?:affiliate|partner|werbe|provisions)[ -]?links?\b|\badvertisers do not influence\b|"
    r"\berhalten wir (?:eine )?provision\b",
    re.IGNORECASE,
)
# A contact box's lines: "Telefon: +49 40 300", "tel +49 611 7878 394 | mail@example.org".
_CONTACT = re.compile(
    r"^(?:tel|telefon|phone|fax|telefax|mobil|mobile|tél|téléfono|teléfono)\.?\s*:?\s*"
    r"[+(]?\d[\d ()/+\-.]{5,}",
    re.IGNORECASE,
)
# "Einfach hier klicken und registrieren!": a prompt; a story does not ask to be clicked.
_CLICK_HERE = re.compile(
    r"\b(?:click here|hier klicken|klicken sie hier|klicke hier|cliquez ici|haga clic aquí|"
    r"haz clic aquí|clicca qui|kliknij tutaj|klik hier)\b",
    re.IGNORECASE,
)
# What a consent wall puts where an embedded post or map was ("Klicken Sie auf den
# unteren Button, um den Inhalt von ... zu laden.", "Click the button below to load").
_EMBED_NOTICE = re.compile(
    r"^(?:klicken sie|click|klicke|cliquez).{0,40}\b(?:button|schaltfläche|bouton)\b"
    r".{0,80}\b(?:\w*laden|load|anzuzeigen|display|charger|afficher)\b",
    re.IGNORECASE,
)
# "Mit diesem Button kannst Du ...": a widget telling what it does.
_BUTTON_PROMPT = re.compile(
    r"^(?:mit diesem button (?:kannst du|können sie)|with this button,? you can|"
    r"avec ce bouton,? vous pouvez|con este botón (?:puedes|puede))\b",
    re.IGNORECASE,
)


# Any keyword rule below needs one of these words (or stems); a line with none skips them
# all. Matching whole tokens against a set is far cheaper than one big alternation.
_HINT_WORDS = frozenset(
    """
    comment comments commented kommentar kommentare kommentaren reactie reacties
    commentaire commentaires comentario comentarios commento commenti cookie cookies
    newsletter newsletters subscribe subscribed subscriber subscribers subscription sign
    signup inbox abonnieren abonnez abonner suscríbete suscribirse iscriviti copyright
    rights reserved terms privacy policy contact impressum datenschutz mentions légales
    aviso legal javascript browser follow like share shares sharing click by von par por
    door av written posted reported read see voir related more mehr watch listen
    recommended next coming up lesen auch lire lee leer ver también puede leggi anche lees
    ook läs även les også tag tags tagged topic topics filed categories category keywords
    schlagwörter themen mots étiquettes etiquetas etiqueta temas argomenti photo photos
    photograph image images picture pic foto bild quelle credit credits source
    illustration video graphic getty reuters afp epa dpa ap already register continue
    unlock member members log login sign in signin reply responses response conversation
    discussion closed lea vea mire mira leia veja czytaj zobacz schon
    compensation commission affiliate advertisers werbelinks partnerlinks provision
    werbe tel telefon phone fax telefax mobil mobile tél teléfono téléfono klicken
    klicke cliquez kommentieren commenter comentar commentare titelbild titelfoto
    beitragsbild bildquelle bildnachweis fotonachweis crédit crédits crédito créditos fuente
    fonte cc creative réservé accéder suite abonnenten abonnentinnen weiterlesen leyendo
    suscriptores leggere support
    unterstütze unterstützen unterstützt wesprzyj soutenez apóyanos apoya sostieni
    sostienici steun erhältlich bestellen kiosk abbildung abb figure fig grafik schaubild
    tabelle table chart figura gráfico tableau clic clicca kliknij klik
    """.split()  # noqa: SIM905
)
_DIGIT = re.compile(r"\d")
_LINK_SEPARATOR = re.compile(r"\s[|•·]\s")
# "1.4K", "36", "12 shares": a widget's count, never a paragraph.
_COUNTER = re.compile(
    r"^[\d.,]+\s*[KkMm]?(?:\s+(?:shares?|likes?|views?|votes?|claps?|comments?|reads?))?$"
)
_READING_TIME = re.compile(
    r"^(?:reading time:?\s*)?\d+\s*(?:-\s*\d+\s*)?(?:min(?:ute)?s?\.?|m)\s*(?:read|de lecture|"
    r"lesezeit|de lectura|di lettura)|"
    r"^(?:lesezeit|temps de lecture|tiempo de lectura)\s*:?\s*\d+",
    re.IGNORECASE,
)
# "Less than a minute read", "Ten tekst przeczytasz w mniej niż minutę": a reading time in words.
_READING_TIME_WORDS = re.compile(
    r"^(?:(?:reading time|lesezeit|temps de lecture|tiempo de lectura)\s*:?\s*)?"
    r"(?:less than (?:a|one) minute(?: read)?|weniger als (?:eine|1) minute|moins d'une minute|"
    r"menos de un minuto)\.?$|^(?:ten (?:tekst|artykuł) przeczytasz|czas czytania)\b.{0,30}"
    r"minut\w*\.?$",
    re.IGNORECASE,
)
# The words each keyword rule needs (anywhere, or as the line's first word).
_COMMENT_TOKENS = frozenset(
    """comment comments commented kommentar kommentare kommentaren reactie reacties
    commentaire commentaires comentario comentarios commento commenti reply replies
    response responses conversation discussion kommentieren commenter comentar
    commentare""".split()  # noqa: SIM905
)
_BYLINE_LEAD = frozenset("by von par por door av written posted reported".split())  # noqa: SIM905
_ROLE_LEAD = frozenset(
    """senior chief staff contributing freier freie freien leitender leitende leitenden
    stellvertretender stellvertretende reporter reporterin correspondent editor writer
    columnist redakteur redakteurin korrespondent korrespondentin journalist journalistin
    volontär volontärin rédacteur rédactrice journaliste correspondant correspondante
    periodista redactor redactora corresponsal giornalista redattore redattrice""".split()  # noqa: SIM905
)
_RELATED_LEAD = frozenset(
    """read also see related more watch listen recommended up next coming lesen mehr auch
    lire à voir lee leer ver te leggi lees läs les lea vea mire mira leia veja czytaj
    zobacz schon""".split()  # noqa: SIM905
)
_TAGS_LEAD = frozenset(
    """tags tag topics topic filed categories category keywords schlagwörter themen mots
    étiquettes etiquetas temas argomenti""".split()  # noqa: SIM905
)
_CREDIT_LEAD = frozenset(
    """photo photos photograph photographs image images picture pictures pic pics credit
    credits source sources foto fotos bild quelle illustration video graphic titelbild
    titelfoto beitragsbild bildquelle bildnachweis fotonachweis crédit crédits crédito
    créditos fuente fonte""".split()  # noqa: SIM905
)
_FOOTER_TOKENS = frozenset(
    """c copyright rights terms privacy policy contact about impressum datenschutz mentions
    aviso cc creative""".split()  # noqa: SIM905
)
_NEWSLETTER_TOKENS = frozenset(
    """newsletter newsletters subscribe subscription signup sign inbox abonnieren abonnez
    abonner suscríbete suscribirse iscriviti""".split()  # noqa: SIM905
)
_PAYWALL_LEAD = frozenset(
    """subscribe already this register to unlock become if pour réservé dieser der weiterlesen
    para contenido per""".split()  # noqa: SIM905
)
_SUPPORT_TOKENS = frozenset(
    """support unterstütze unterstützen unterstützt wesprzyj soutenez apóyanos apoya
    sostieni sostienici steun""".split()  # noqa: SIM905
)
_EDITION_TOKENS = frozenset("erhältlich bestellen kiosk".split())  # noqa: SIM905
_OFFER_TOKENS = frozenset(
    "exklusive exclusive exclusives exclusivas esclusive subscribers letter leserbrief".split()  # noqa: SIM905
)
_PAYWALL_WORDS = frozenset("paywall bezahlschranke".split())  # noqa: SIM905
_WE_TOKENS = frozenset("we our wir unser unsere unseren nous notre nosotros nuestro".split())  # noqa: SIM905
_FIGURE_LEAD = frozenset(
    "abbildung abb figure fig grafik schaubild tabelle table chart figura gráfico tableau".split()  # noqa: SIM905
)
_LONG_NOISE_WORDS = (
    "©", "(c)", "copyright", "rights", "terms", "privacy", "policy", "contact", "about",
    "impressum", "datenschutz", "mentions", "aviso", "cookie", "newsletter", "subscri",
    "sign", "inbox", "abonn", "suscr", "iscriv", "compensation", "commission", "affiliate",
    "provision", "twitter", "facebook", "instagram", "telegram", "whatsapp", "youtube",
    "support", "unterstütz", "wesprzyj", "soutenez", "erhältlich", "bestellen", "paywall",
    "bezahlschranke",
)  # fmt: skip
_SOCIAL_LEAD = frozenset("follow like share click".split())  # noqa: SIM905
_CONTACT_LEAD = frozenset(
    "tel telefon phone fax telefax mobil mobile tél teléfono téléfono".split()  # noqa: SIM905
)
_EMBED_LEAD = frozenset("klicken click klicke cliquez".split())  # noqa: SIM905
_BUTTON_LEAD = frozenset({"mit", "with", "avec", "con"})
_BUTTON_TOKENS = frozenset({"button", "bouton", "botón"})
_CLICK_TOKENS = frozenset("click klicken klicke cliquez clic clicca kliknij klik".split())  # noqa: SIM905
_DISCLOSURE_TOKENS = frozenset(
    "compensation commission affiliate advertisers werbelinks partnerlinks provision werbe".split()  # noqa: SIM905
)
# What some keyword rule needs: a lead word, a rule's token, or (below) a few substrings.
_RULE_LEADS = (
    _BYLINE_LEAD
    | _ROLE_LEAD
    | _RELATED_LEAD
    | _TAGS_LEAD
    | _CREDIT_LEAD
    | _PAYWALL_LEAD
    | _SOCIAL_LEAD
    | _CONTACT_LEAD
    | _FIGURE_LEAD
)
_RULE_TOKENS = (
    _COMMENT_TOKENS
    | _FOOTER_TOKENS
    | _NEWSLETTER_TOKENS
    | _CHANNEL_TOKENS
    | _DISCLOSURE_TOKENS
    | _SUPPORT_TOKENS
    | _EDITION_TOKENS
    | _CLICK_TOKENS
    | _PAYWALL_WORDS
    | _OFFER_TOKENS
    | _BUTTON_TOKENS
)
# The rules' own words open the gate too, each rule's whole set ("Fotos:" was once missed),
# except the paywall's, related-link's and footer's function words ("to", "this", "about"),
# which those rules only use beside a gate word.
_HINT_WORDS |= (
    _CHANNEL_TOKENS
    | _CTA_TOKENS
    | _ROLE_LEAD
    | _PAYWALL_WORDS
    | _OFFER_TOKENS
    | _BUTTON_TOKENS
    | _CREDIT_LEAD
    | _COMMENT_TOKENS
)
_RULE_SUBSTRINGS = ("©", "cookie", "javascript", "browser")
_YEAR = re.compile(r"\d{4}")  # every dateline pattern has one
_HINT_TOKEN = re.compile(r"[^\W\d_]+")
_ASCII_TOKEN = re.compile(r"[a-z]+")
SENTENCE_END_CHARS = frozenset('.!?…:;)]"”’»')


@dataclass
class NoiseContext:
    """What the page told us elsewhere: repeated lines here are noise."""

    captions: set[str] = field(default_factory=set)
    title: str | None = None
    known_noise: set[str] = field(default_factory=set)
    dates: dict[str, str] = field(default_factory=dict)  # what the datelines said: read once

    def add_caption(self, text: str) -> None:
        key = fold(text)
        if key:
            self.captions.add(key)


def words(text: str) -> int:
    return len(text.split())


def related_headline(text: str) -> str | None:
    """'READ MORE: Some headline' -> 'Some headline'."""
    match = _RELATED_PREFIX.match(text.strip())
    if match and 2 <= words(match[1]) <= 25:
        return match[1].strip()
    return None


def is_link_list(text: str) -> bool:
    """'Printer-friendly version | E-mail this article | Bookmark': a row of links."""
    if "|" not in text and "•" not in text and "·" not in text:
        return False  # most blocks: no separator to split at
    parts = [p.strip() for p in _LINK_SEPARATOR.split(text)]
    return len(parts) >= 3 and all(
        0 < words(p) <= 4 and not p.endswith((".", "!", "?")) for p in parts
    )


def is_prose(text: str, n_words: int | None = None) -> bool:
    """A sentence or more: what articles are made of and menus are not."""
    n = words(text) if n_words is None else n_words
    return n >= 20 or (n >= 8 and text[-1:] in SENTENCE_END_CHARS)


def tag_list(text: str) -> list[str] | None:
    match = _TAGS.match(text.strip())
    if not match or words(match[1]) > 40:
        return None
    return [t.strip() for t in re.split(r"\s*[,;|•·]\s*|\s{2,}", match[1]) if t.strip()]


def dateline_date(text: str) -> str | None:
    """The date a dateline gives ("" for one that gives none: "5 hours ago"); None when the
    block is not a dateline: a date, maybe with "Published"/"Updated" and a time, and
    nothing else."""
    text = text.strip()
    if _RELATIVE_TIME.match(text) or _TIME_DATELINE.match(text):
        return ""
    if words(text) > 14 or not _YEAR.search(text) or not _DATELINE.match(text):
        return None
    # "Published ...", or a bare date: what is left besides month and day names is a time
    # zone at most; then a date must be found (the costliest check, so the last)
    if not _DATELINE_LEAD.match(text):
        rest = _DATE_WORDS.sub("", text)
        if sum(c.isalpha() for c in rest) > 6:
            return None
    return find_date(text)


def classify(text: str, ctx: NoiseContext | None = None) -> str | None:
    """The noise class of one block or line, or None when it reads as article text.

    Callers pass whitespace-collapsed text. Rules are gated by length and by one
    keyword scan, so that the common case, a line of prose, costs a few lookups.
    """
    stripped = text.strip()
    if stripped[:1] in BULLET_CHARS:
        stripped = BULLET.sub("", stripped).strip()
    if not stripped:
        return "empty"
    return classify_words(stripped, stripped.count(" ") + 1, ctx)


def classify_words(stripped: str, n_words: int, ctx: NoiseContext | None = None) -> str | None:
    """``classify`` for text already stripped, with no list marker in front and its
    ``n_words`` (spaces + 1) counted: a text dump's lines are, and there are many."""
    if ctx is not None and (ctx.captions or ctx.known_noise) and n_words <= 80:
        reason = _context_noise(stripped, ctx)
        if reason is not None:
            return reason
    if n_words > 45:
        # only cookie notices run this long; a cookie policy runs longer still. Lowercasing
        # a long line costs more than looking for the only letters that lowercase to "k".
        if "k" not in stripped and "K" not in stripped and "\u212a" not in stripped:
            return None
        lower = stripped.lower()
        if "cookie" not in lower:
            return None
        if n_words > 80:
            return "cookie_banner" if lower.count("cookie") >= 3 else None
    else:
        lower = stripped.lower()
    if n_words <= 6:
        key = lower.strip(" :.!|>»›()[]")
        if key in _SHARE:
            return "share_widget"
        if key in _NAV:
            return "navigation"
        if key in _LABELS:
            return "label"
        if "." in key and (on_site := _ON_SITE.match(key)) and on_site[1] in _LABELS:
            return "label"  # "Mehr zum Thema auf example.de"
    if "[" in stripped:
        if "[/" in stripped and _SHORTCODE.search(stripped):
            return "shortcode"
        if n_words <= 25 and _TAGGED_HEADLINE.search(stripped):
            return "related_link"
    if n_words <= 14 and _DIGIT.search(stripped):
        date = dateline_date(stripped)
        if date is not None:
            if date and ctx is not None:
                ctx.dates[stripped] = date
            return "dateline"
        if _COUNTER.match(stripped):
            return "counter"
        if _READING_TIME.match(stripped):
            return "reading_time"
    if n_words <= 10 and "minut" in lower and _READING_TIME_WORDS.match(stripped):
        return "reading_time"
    if n_words > 25 and not _could_be_long_noise(lower):
        return None  # most sentences of prose: no rule for lines this long can fire
    # the same tokens: in ASCII, letters are a-z (the Unicode class costs twice as much)
    tokens = (_ASCII_TOKEN if lower.isascii() else _HINT_TOKEN).findall(lower)
    if "©" not in lower and _HINT_WORDS.isdisjoint(tokens):
        return None
    if (
        (not tokens or tokens[0] not in _RULE_LEADS)
        and stripped[0] not in "(©"
        and _RULE_TOKENS.isdisjoint(tokens)
        and not any(word in lower for word in _RULE_SUBSTRINGS)
    ):
        return None  # none of the rules below has what it needs
    return _keyword_rules(stripped, lower, n_words, tokens)


def _context_noise(stripped: str, ctx: NoiseContext) -> str | None:
    """A line the page showed elsewhere: a caption again, or known noise."""
    if not ctx.known_noise:
        # folding is per character, so the fold of the line's head starts its fold: a
        # caption the line could match agrees with it (folding a long line costs)
        head = fold(stripped[:40])
        if not any(c.startswith(head) or head.startswith(c) for c in ctx.captions):
            return None
    folded = fold(stripped)
    if folded in ctx.known_noise:
        return "repeated_noise"
    if _matches_caption(folded, ctx.captions):
        return "caption"
    return None


def _could_be_long_noise(lower: str) -> bool:
    """Only tag lists, footers, cookie, newsletter and paywall notices run past 25 words;
    each needs one of these words, found with plain substring scans."""
    first = lower.split(None, 1)[0].strip(":")
    if first in _TAGS_LEAD or first in _PAYWALL_LEAD:
        return True
    for word in _LONG_NOISE_WORDS:  # noqa: SIM110 (a plain loop: a generator costs more)
        if word in lower:
            return True
    return False


def _keyword_rules(stripped: str, lower: str, n_words: int, tokens: list[str]) -> str | None:
    """Each rule is tried only when its own words are there: most lines try none."""
    words_ = set(tokens)
    first = tokens[0] if tokens else ""
    if not words_.isdisjoint(_COMMENT_TOKENS):
        if n_words <= 12 and _COMMENTS.match(stripped):
            return "comments"
        if n_words <= 25 and (
            _LOGIN_WORD.search(stripped) or (n_words <= 5 and not stripped.endswith("."))
        ):
            return "comments"
    if (
        first in _BYLINE_LEAD
        and n_words <= 16
        and not stripped.endswith((".", "!", "?"))
        and _BYLINE.match(stripped)
    ):
        return "byline"
    if first in _ROLE_LEAD and n_words <= 12 and _ROLE_LINE.match(stripped):
        return "byline"
    if first in _RELATED_LEAD and n_words <= 25 and related_headline(stripped):
        return "related_link"
    if first in _TAGS_LEAD and n_words <= 45 and tag_list(stripped) is not None:
        return "tags"
    credit_lead = first in _CREDIT_LEAD or stripped[0] in "(©"
    if n_words <= 14 and credit_lead and _CREDIT_ONLY.match(stripped):
        return "credit"
    if n_words <= 40 and first in _FIGURE_LEAD and _FIGURE_CAPTION.match(stripped):
        return "caption"
    if n_words <= 40 and "©" in stripped and _CAPTION_CREDIT.search(stripped):
        return "caption"  # "Ann Lee at the finish line. | © AFP / John Doe"
    footer_words = "©" in lower or not words_.isdisjoint(_FOOTER_TOKENS)
    if n_words <= 40 and footer_words and _FOOTER.search(stripped):
        return "footer"
    if "cookie" in lower and _COOKIE.search(stripped) and _COOKIE_CTX.search(stripped):
        return "cookie_banner"
    if (
        n_words <= 40
        and not words_.isdisjoint(_NEWSLETTER_TOKENS)
        and _NEWSLETTER.search(stripped)
        and _NEWSLETTER_CTX.search(stripped)
        and (n_words <= 25 or "newsletter" in lower)
    ):
        return "newsletter"
    if n_words <= 30 and first in _PAYWALL_LEAD and _PAYWALL.match(stripped):
        return "paywall"
    if (
        n_words <= 45
        and not words_.isdisjoint(_SUPPORT_TOKENS)
        and _SUPPORT.search(stripped)
        and _SUPPORT_CTX.search(stripped)
    ):
        return "donation_prompt"
    if (
        n_words <= 45
        and not words_.isdisjoint(_PAYWALL_WORDS)
        and not words_.isdisjoint(_WE_TOKENS)
    ):
        return "donation_prompt"  # the publisher on its own paywall: an appeal for money
    if n_words <= 40 and not words_.isdisjoint(_EDITION_TOKENS) and _EDITION.search(stripped):
        return "edition_promo"
    if n_words <= 40 and not words_.isdisjoint(_OFFER_TOKENS) and _OFFER.search(stripped):
        return "promo"
    if (
        n_words <= 20
        and ("javascript" in lower or "browser" in lower)
        and (_SCRIPT_NOTICE.match(stripped))
    ):
        return "script_notice"
    if n_words <= 20 and first in _SOCIAL_LEAD and _SOCIAL_CTA.match(stripped):
        return "social_prompt"
    if (
        n_words <= 40
        and not words_.isdisjoint(_CHANNEL_TOKENS)
        and (
            (not words_.isdisjoint(_CTA_TOKENS) and not words_.isdisjoint(_PUBLISHER_VOICE))
            or _LATEST_NEWS.match(lower)  # "For the latest news, download our app"
        )
    ):
        return "social_prompt"
    if n_words <= 60 and not words_.isdisjoint(_DISCLOSURE_TOKENS) and _DISCLOSURE.search(lower):
        return "disclosure"
    if n_words <= 16 and first in _CONTACT_LEAD and _CONTACT.match(stripped):
        return "contact"
    if n_words <= 30 and first in _EMBED_LEAD and _EMBED_NOTICE.match(stripped):
        return "embed_notice"
    if (
        n_words <= 40
        and first in _BUTTON_LEAD
        and not words_.isdisjoint(_BUTTON_TOKENS)
        and _BUTTON_PROMPT.match(stripped)
    ):
        return "button_prompt"
    if n_words <= 30 and not words_.isdisjoint(_CLICK_TOKENS) and _CLICK_HERE.search(stripped):
        return "click_prompt"
    return None


def _matches_caption(folded: str, captions: set[str]) -> bool:
    if not folded:
        return False
    for caption in captions:
        if folded == caption:
            return True
        # the caption again with a credit appended ("... | Photo: Reuters")
        if len(caption) >= 20 and folded.startswith(caption) and len(folded) - len(caption) < 60:
            return True
    return False
