"""Date strings in, ISO 8601 out.

Machine-readable values (ISO, RFC 2822) keep their time and offset; a naive
datetime or a human dateline ("Published 4 August 2017") becomes a date only,
because a time without an offset would be a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from scraper.extract._text import alternation

_MONTHS = {
    # English, German, French, Spanish, Italian, Portuguese, Dutch (full and short forms)
    "january": 1, "jan": 1, "januar": 1, "janvier": 1, "enero": 1, "gennaio": 1, "janeiro": 1,
    "januari": 1, "jänner": 1,
    "february": 2, "feb": 2, "februar": 2, "février": 2, "fevrier": 2, "febrero": 2,
    "febbraio": 2, "fevereiro": 2, "februari": 2,
    "march": 3, "mar": 3, "märz": 3, "maerz": 3, "mars": 3, "marzo": 3, "março": 3, "maart": 3,
    "april": 4, "apr": 4, "avril": 4, "abril": 4, "aprile": 4,
    "may": 5, "mai": 5, "mayo": 5, "maggio": 5, "maio": 5, "mei": 5,
    "june": 6, "jun": 6, "juni": 6, "juin": 6, "junio": 6, "giugno": 6, "junho": 6,
    "july": 7, "jul": 7, "juli": 7, "juillet": 7, "julio": 7, "luglio": 7, "julho": 7,
    "august": 8, "aug": 8, "août": 8, "aout": 8, "agosto": 8, "augustus": 8,
    "september": 9, "sep": 9, "sept": 9, "septembre": 9, "septiembre": 9, "settembre": 9,
    "setembro": 9,
    "october": 10, "oct": 10, "oktober": 10, "octobre": 10, "octubre": 10, "ottobre": 10,
    "outubro": 10,
    "november": 11, "nov": 11, "novembre": 11, "noviembre": 11, "novembro": 11,
    "december": 12, "dec": 12, "dezember": 12, "décembre": 12, "decembre": 12,
    "diciembre": 12, "dicembre": 12, "dezembro": 12,
}  # fmt: skip
# As tries: the month-first patterns try every month name at every word.
MONTH_PATTERN = alternation(_MONTHS)
_MONTH_RE = MONTH_PATTERN
# Read only in a page's own dateline (``loose``): abbreviations and further languages that
# would be too eager for classifying arbitrary lines.
_MORE_MONTHS = {
    "jän": 1, "janv": 1, "ene": 1, "gen": 1, "styczeń": 1, "stycznia": 1, "января": 1,
    "січня": 1, "ledna": 1, "januára": 1, "tammikuuta": 1, "ocak": 1,
    "févr": 2, "fév": 2, "fev": 2, "luty": 2, "lutego": 2, "февраля": 2, "лютого": 2,
    "února": 2, "februára": 2, "helmikuuta": 2, "şubat": 2,
    "mär": 3, "mrz": 3, "marca": 3, "marzec": 3, "марта": 3, "березня": 3, "března": 3,
    "marta": 3, "maaliskuuta": 3, "mart": 3,
    "avr": 4, "abr": 4, "kwiecień": 4, "kwietnia": 4, "апреля": 4, "квітня": 4, "dubna": 4,
    "apríla": 4, "huhtikuuta": 4, "nisan": 4,
    "mag": 5, "maj": 5, "maja": 5, "мая": 5, "травня": 5, "května": 5, "mája": 5,
    "toukokuuta": 5, "mayıs": 5,
    "giu": 6, "czerwiec": 6, "czerwca": 6, "июня": 6, "червня": 6, "června": 6,
    "júna": 6, "kesäkuuta": 6, "haziran": 6,
    "juil": 7, "lug": 7, "lipiec": 7, "lipca": 7, "июля": 7, "липня": 7, "července": 7,
    "júla": 7, "heinäkuuta": 7, "temmuz": 7,
    "ago": 8, "sierpień": 8, "sierpnia": 8, "августа": 8, "серпня": 8, "srpna": 8,
    "augusta": 8, "elokuuta": 8, "ağustos": 8,
    "set": 9, "wrzesień": 9, "września": 9, "сентября": 9, "вересня": 9, "září": 9,
    "septembra": 9, "syyskuuta": 9, "eylül": 9,
    "okt": 10, "ott": 10, "out": 10, "październik": 10, "października": 10, "октября": 10,
    "жовтня": 10, "října": 10, "októbra": 10, "lokakuuta": 10, "ekim": 10,
    "listopad": 11, "listopada": 11, "ноября": 11, "листопада": 11, "listopadu": 11,
    "novembra": 11, "marraskuuta": 11, "kasım": 11,
    "dez": 12, "déc": 12, "dic": 12, "grudzień": 12, "grudnia": 12, "декабря": 12,
    "грудня": 12, "prosince": 12, "decembra": 12, "joulukuuta": 12, "aralık": 12,
}  # fmt: skip
_ALL_MONTHS = {**_MORE_MONTHS, **_MONTHS}
_LOOSE_MONTH_RE = alternation(_ALL_MONTHS)


def _day_month_year(months: str) -> re.Pattern[str]:
    """'4 August 2017', '14. November 2023', '27 de junio de 2015'."""
    return re.compile(
        rf"\b(\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?({months})\.?,?\s+(?:de\s+)?"
        r"(\d{4})\b",
        re.IGNORECASE,
    )


def _month_day_year(months: str) -> re.Pattern[str]:
    """'August 4, 2017', 'Aug. 4th 2017'."""
    return re.compile(
        rf"\b({months})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE
    )


_DAY_MONTH_YEAR = _day_month_year(_MONTH_RE)
_MONTH_DAY_YEAR = _month_day_year(_MONTH_RE)
_LOOSE_DAY_MONTH_YEAR = _day_month_year(_LOOSE_MONTH_RE)
_LOOSE_MONTH_DAY_YEAR = _month_day_year(_LOOSE_MONTH_RE)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMERIC_DMY = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
_DIGIT = re.compile(r"\d")
_SHORT_DMY = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{2})(?!\d|\.\d)")
_SPACED_DMY = re.compile(r"\b(\d{1,2})\.\s(\d{1,2})\.\s?(\d{4})\b")
_SLASHED_YMD = re.compile(r"\b((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})\b")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|\b)")


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        value = date(y, m, d)
    except ValueError:
        return None
    return value if 1990 <= value.year <= datetime.now().year + 1 else None


def parse_iso(value: str) -> str | None:
    """A machine-readable date (ISO 8601 or RFC 2822) as ISO 8601, or None."""
    value = value.strip()
    if not value:
        return None
    text = value.replace("Z", "+00:00") if value.endswith("Z") else value
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        return find_date(value)
    if _valid(parsed.year, parsed.month, parsed.day) is None:
        return None
    if parsed.tzinfo is None or len(text) <= 10:
        return parsed.date().isoformat()
    return parsed.isoformat()


def _short_year(digits: str) -> int:
    yy = int(digits)
    return 2000 + yy if yy <= datetime.now().year % 100 + 1 else 1900 + yy


def _month_number(name: str) -> int:
    return _ALL_MONTHS[name.lower()]


def _collect(
    found: list[tuple[int, date]],
    matches: Iterator[re.Match[str]],
    y: int,
    m: int,
    d: int,
    *,
    year: Callable[[str], int] = int,
    month: Callable[[str], int] = int,
) -> None:
    """Append the valid dates of ``matches``, whose groups ``y``, ``m``, ``d`` hold them."""
    for match in matches:
        value = _valid(year(match[y]), month(match[m]), int(match[d]))
        if value:
            found.append((match.start(), value))


def dates_in(text: str, *, mdy: bool = False, loose: bool = False) -> list[tuple[int, date]]:
    """Every date written in ``text`` with its offset, in text order.

    ``mdy`` reads an all-numeric "3/5/2022" month first, as US pages print it. ``loose`` also
    accepts two-digit years ("31.10.23") and "2019/01/01": right for a page's dateline, too
    eager for classifying arbitrary lines.
    """
    found: list[tuple[int, date]] = []
    if _DIGIT.search(text) is None:  # every pattern has a year
        return found
    day_month_year = _LOOSE_DAY_MONTH_YEAR if loose else _DAY_MONTH_YEAR
    month_day_year = _LOOSE_MONTH_DAY_YEAR if loose else _MONTH_DAY_YEAR
    _collect(found, day_month_year.finditer(text), 3, 2, 1, month=_month_number)
    _collect(found, month_day_year.finditer(text), 3, 1, 2, month=_month_number)
    _collect(found, _ISO_DATE.finditer(text), 1, 2, 3)
    for match in _NUMERIC_DMY.finditer(text):
        first, second = int(match[1]), int(match[2])
        if mdy and match[0][len(match[1])] == "/" and first <= 12:
            first, second = second, first
        d = _valid(int(match[3]), second, first)
        if d:
            found.append((match.start(), d))
    if loose:
        _collect(found, _SHORT_DMY.finditer(text), 3, 2, 1, year=_short_year)
        _collect(found, _SPACED_DMY.finditer(text), 3, 2, 1)
        _collect(found, _SLASHED_YMD.finditer(text), 1, 2, 3)
    found.sort()
    return found


def find_date(text: str, *, mdy: bool = False, loose: bool = False) -> str | None:
    """The first human-written date in ``text`` ("4 August 2017", "Aug. 4, 2017", "04.08.2017")."""
    found = dates_in(text, mdy=mdy, loose=loose)
    return found[0][1].isoformat() if found else None


def date_from_url(url: str | None) -> str | None:
    if not url:
        return None
    match = _URL_DATE.search(url)
    if not match:
        return None
    d = _valid(int(match[1]), int(match[2]), int(match[3]))
    return d.isoformat() if d else None


_URL_MONTH = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(?!\d{1,2}/)")


def month_from_url(url: str | None) -> tuple[int, int] | None:
    """(year, month) of a URL dated to the month only ("/2010/05/slug")."""
    if not url or date_from_url(url):
        return None
    match = _URL_MONTH.search(url)
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    return int(match[1]), int(match[2])


_AMBIGUOUS = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\b")


def other_reading(value: str) -> str | None:
    """The month-first reading of a slashed "11/01/2023" when the day-first one is also
    valid: servers write both, and only the page's printed date can tell which."""
    match = _AMBIGUOUS.match(value)
    if not match or int(match[1]) > 12 or int(match[2]) > 12 or match[1] == match[2]:
        return None
    d = _valid(int(match[3]), int(match[1]), int(match[2]))
    return d.isoformat() if d else None
