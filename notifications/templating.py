"""What a notice template may say, and how an SMS is counted and kept safe (issue 5, points 2, 6, 7).

A template is Django template text rendered with autoescape off (notifications.services.render).
Administrators may write plain variables, such as {{ date }}, and a few filters; never tags,
which could loop, load libraries or reach other data. An SMS may be read by the employer
(DESIGN.md, "Worker safety in messages"): it says only what a neutral appointment reminder would.
"""

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import Lexer, TokenType, filter_re
from django.utils import formats, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditEntry
from accounts.services import audit_log
from notifications.models import Channel, Kind, MessageTemplate
from registry.models import Employment

# --- Variables ----------------------------------------------------------------------------

# Every notice gets these from notifications.services.notify; rights_url is the public rights
# page in the notice's language.
COMMON_VARIABLES = ("given_names", "ministry_phone", "public_url", "rights_url", "language")

# What the caller of notify() passes for each kind of notice.
KIND_VARIABLES: dict[str, tuple[str, ...]] = {
    Kind.RIGHTS_INFORMATION: ("link",),
    Kind.REGISTRATION_CONFIRMATION: (),
    Kind.INTERVIEW_INVITATION: ("date", "time", "place", "link"),
    Kind.REMINDER: ("date", "time", "place", "link"),
    Kind.MOVED: ("date", "time", "place", "link"),
    Kind.CANCELLED: ("date", "time", "link"),
    Kind.MISSED_APPOINTMENT: ("link",),
    Kind.BANK_VERIFICATION_NEEDED: ("place", "date"),
    Kind.CARD_EXPIRING: ("date", "place"),
}

# Filters that only change letters; anything else could reach beyond the text.
ALLOWED_FILTERS = ("capfirst", "default", "lower", "title", "upper")

EXAMPLE_VARIABLE = "{{ date }}"


def allowed_variables(kind: str) -> tuple[str, ...]:
    return (*KIND_VARIABLES[kind], *COMMON_VARIABLES)


# --- Languages ----------------------------------------------------------------------------

# The languages notices are written in (issue 5, point 8), with the name a reader of that
# language would recognise.
NOTICE_LANGUAGES: dict[str, tuple[str, str]] = {
    "en": (gettext_lazy("English"), "English"),
    "fr": (gettext_lazy("French"), "français"),
    "es": (gettext_lazy("Spanish"), "español"),
    "pt": (gettext_lazy("Portuguese"), "português"),
    "ar": (gettext_lazy("Arabic"), "العربية"),
    "tl": (gettext_lazy("Filipino (Tagalog)"), "Filipino"),
    "id": (gettext_lazy("Indonesian"), "Bahasa Indonesia"),
    "am": (gettext_lazy("Amharic"), "አማርኛ"),
    "ti": (gettext_lazy("Tigrinya"), "ትግርኛ"),
    "sw": (gettext_lazy("Swahili"), "Kiswahili"),
    "ne": (gettext_lazy("Nepali"), "नेपाली"),
    "hi": (gettext_lazy("Hindi"), "हिन्दी"),
    "bn": (gettext_lazy("Bengali"), "বাংলা"),
    "si": (gettext_lazy("Sinhala"), "සිංහල"),
    "ta": (gettext_lazy("Tamil"), "தமிழ்"),
    "ml": (gettext_lazy("Malayalam"), "മലയാളം"),
    "ur": (gettext_lazy("Urdu"), "اردو"),
    "th": (gettext_lazy("Thai"), "ไทย"),
    "vi": (gettext_lazy("Vietnamese"), "Tiếng Việt"),
    "my": (gettext_lazy("Burmese"), "မြန်မာ"),
    "zh": (gettext_lazy("Chinese (Simplified)"), "简体中文"),
    "ru": (gettext_lazy("Russian"), "русский"),
    "uk": (gettext_lazy("Ukrainian"), "українська"),
    "tr": (gettext_lazy("Turkish"), "Türkçe"),
}
RIGHT_TO_LEFT = {"ar", "ur", "fa", "he", "ps"}


def language_name(code: str):
    """The name an editor sees: "Nepali · नेपाली" for a notice language, Django's name for
    another language it knows, the bare code otherwise."""
    if code in NOTICE_LANGUAGES:
        name, local = NOTICE_LANGUAGES[code]
        return name if str(name) == local else format_lazy("{} · {}", name, local)
    try:
        return translation.get_language_info(code)["name_translated"]
    except KeyError:
        return code


def language_choices() -> list[tuple[str, object]]:
    codes = list(NOTICE_LANGUAGES)
    for code in [settings.HESTIA_HOST_LANGUAGE, *(code for code, _name in settings.LANGUAGES)]:
        if code not in codes:
            codes.append(code)
    return [(code, language_name(code)) for code in codes]


def language_direction(code: str) -> str:
    return "rtl" if code.split("-")[0] in RIGHT_TO_LEFT else "ltr"


# --- Checking a template's text -----------------------------------------------------------


def _error(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _variable_error(name: str, kind: str) -> ValidationError:
    return _error(
        _("“%(name)s” is not a variable of this notice. You can use: %(allowed)s.")
        % {"name": name, "allowed": ", ".join(allowed_variables(kind))},
        "variable",
    )


def _check_expression(contents: str, token: str, kind: str) -> list[ValidationError]:
    """One {{ ... }}: a variable of this kind, then filters from the allow-list only."""
    if not contents.strip():
        return [
            _error(
                _("The braces %(token)s are empty: put a variable between them, as in %(example)s.")
                % {"token": token, "example": EXAMPLE_VARIABLE},
                "variable",
            )
        ]
    errors = []
    allowed = allowed_variables(kind)
    position = 0
    first = True
    for match in filter_re.finditer(contents):
        if match.start() != position:
            break
        position = match.end()
        if first:
            first = False
            if match["constant"] or not match["var"] or not match["var"][0].isalpha():
                errors.append(
                    _error(
                        _(
                            "%(token)s is not a variable. Write plain text outside the braces and only a variable inside, as in %(example)s."
                        )
                        % {"token": token, "example": EXAMPLE_VARIABLE},
                        "variable",
                    )
                )
            elif match["var"] not in allowed:
                errors.append(_variable_error(match["var"], kind))
            continue
        if match["filter_name"] not in ALLOWED_FILTERS:
            errors.append(
                _error(
                    _("The filter “%(filter)s” is not allowed. You can use: %(allowed)s.")
                    % {"filter": match["filter_name"], "allowed": ", ".join(ALLOWED_FILTERS)},
                    "filter",
                )
            )
        argument = match["var_arg"]
        if argument and argument[0].isalpha() and argument not in allowed:
            errors.append(_variable_error(argument, kind))
    if position != len(contents):
        errors.append(
            _error(
                _("%(token)s cannot be read. Write a variable alone, as in %(example)s.")
                % {"token": token, "example": EXAMPLE_VARIABLE},
                "syntax",
            )
        )
    return errors


def template_errors(text: str, *, kind: str) -> list[ValidationError]:
    """Why `text` cannot be a template of `kind`: unknown variables, tags, filters outside the
    allow-list, syntax errors. Empty when it can be saved."""
    errors: list[ValidationError] = []
    for token in Lexer(text).tokenize():
        if token.token_type == TokenType.VAR:
            shown = "{{ " + token.contents.strip() + " }}" if token.contents.strip() else "{{ }}"
            errors += _check_expression(token.contents, shown, kind)
        elif token.token_type == TokenType.BLOCK:
            errors.append(
                _error(
                    _(
                        "The tag %(tag)s is not allowed: a notice can only contain text and variables such as %(example)s."
                    )
                    % {"tag": "{% " + token.contents + " %}", "example": EXAMPLE_VARIABLE},
                    "tag",
                )
            )
        elif token.token_type == TokenType.TEXT and re.search(r"{{|}}|{%|%}", token.contents):
            errors.append(
                _error(
                    _(
                        "Braces that are not closed or not opened: write each variable as %(example)s."
                    )
                    % {"example": EXAMPLE_VARIABLE},
                    "syntax",
                )
            )
    if not errors:
        try:
            Template(text)
        except TemplateSyntaxError as error:
            errors.append(
                _error(
                    _("The text cannot be read as a template: %(error)s") % {"error": error},
                    "syntax",
                )
            )
    return errors


# --- SMS encoding and segments ------------------------------------------------------------

# The GSM 03.38 default alphabet, and its extension table whose characters take two septets.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("\f^{}\\[~]|€")
GSM7, UCS2 = "GSM-7", "UCS-2"
SINGLE_LIMIT = {GSM7: 160, UCS2: 70}
PART_LIMIT = {GSM7: 153, UCS2: 67}


@dataclass(frozen=True)
class SmsCount:
    encoding: str
    units: int  # septets (GSM-7) or 16-bit code units (UCS-2)
    segments: int
    # Characters that forced UCS-2, so an editor can replace them and halve the cost.
    non_gsm: tuple[str, ...] = ()

    @property
    def single_limit(self) -> int:
        return SINGLE_LIMIT[self.encoding]

    @property
    def part_limit(self) -> int:
        return PART_LIMIT[self.encoding]


def sms_count(text: str) -> SmsCount:
    """Encoding and number of segments of an SMS: GSM-7 fits 160 septets in one message and 153
    per part when split (extension characters such as € take two), UCS-2 fits 70 and 67. A
    two-septet character or a surrogate pair is never split across parts, as phones do."""
    non_gsm = tuple(dict.fromkeys(c for c in text if c not in GSM_BASIC and c not in GSM_EXTENDED))
    if non_gsm:
        encoding = UCS2
        costs = [2 if ord(c) > 0xFFFF else 1 for c in text]
    else:
        encoding = GSM7
        costs = [2 if c in GSM_EXTENDED else 1 for c in text]
    units = sum(costs)
    if units == 0:
        segments = 0
    elif units <= SINGLE_LIMIT[encoding]:
        segments = 1
    else:
        segments, used = 1, 0
        for cost in costs:
            if used + cost > PART_LIMIT[encoding]:
                segments, used = segments + 1, 0
            used += cost
    return SmsCount(encoding=encoding, units=units, segments=segments, non_gsm=non_gsm)


def sms_max_units(encoding: str, segments: int) -> int:
    """The most an SMS of `segments` parts can hold (ignoring characters split at a border)."""
    if segments <= 1:
        return SINGLE_LIMIT[encoding]
    return PART_LIMIT[encoding] * segments


# --- Safety of SMS content ----------------------------------------------------------------

# Words an SMS must never contain, in every language notices are written in: the worker's
# phone may be read by the employer, so an SMS never names trafficking, abuse, a concern, a
# complaint, the police, the employer or an interview outcome (DESIGN.md, "Worker safety in
# messages"). Every list applies to every SMS, whatever its language. Matching ignores case and
# accents. In languages written with spaces between words an entry is a whole word or phrase,
# or the start of a word when it ends with "*" ("abus*" finds abuse, abusive, abusé); in the
# others (SUBSTRING_LANGUAGES) an entry is found anywhere. Add words here, with a native speaker
# checking each language, or per installation in the HESTIA_SMS_DENIED_WORDS setting.
SMS_DENIED_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        "traffick*", "smuggl*", "abuse*", "abusi*", "exploit*", "forced*", "slave*", "slavery",
        "victim*", "violen*", "concern*", "complain*", "police*", "referral*", "referred",
        "employer*", "hotline*", "shelter*", "ngo", "ngos", "urgen*", "threat*", "harass*",
        "assault*", "rape*", "follow-up", "follow up", "labour inspect*", "labor inspect*",
        "mediation", "interview outcome*", "indicator*",
    ),
    "fr": (
        "traite des", "traite d'etres", "trafic*", "exploitation*", "abus*", "maltrait*",
        "violen*", "victime*", "travail force*", "esclavag*", "esclave*", "plainte*",
        "police*", "policier*", "gendarmerie", "signalement*", "employeu*", "inquietude*", "preoccupation*",
        "menace*", "harcel*", "orientation vers", "inspection du travail", "mediation",
    ),
    "es": (
        "trata de personas", "trata de seres", "trafico*", "abuso*", "explotacion*",
        "maltrat*", "violen*", "victima*", "trabajo forzoso", "esclav*", "denuncia*", "queja*",
        "reclamacion*", "policia*", "empleador*", "preocupacion*", "derivacion*", "amenaza*",
        "acoso*", "inspeccion de trabajo", "mediacion",
    ),
    "pt": (
        "trafico de pessoas", "trafico*", "abuso*", "exploracao*", "maus-tratos", "maus tratos",
        "violen*", "vitima*", "trabalho forcado", "escrav*", "denuncia*", "queixa*",
        "reclamacao*", "policia*", "empregador*", "preocupacao*", "encaminhamento*",
        "ameaca*", "assedio*", "mediacao",
    ),
    "ar": (
        "اتجار", "تهريب", "إساءة", "استغلال", "عمل قسري", "العمل القسري", "سخرة", "عبودية",
        "ضحية", "ضحايا", "عنف", "تعنيف", "شكوى", "شكاوى", "شرطة", "صاحب العمل", "أصحاب العمل",
        "كفيل", "قلق", "مخاوف", "إحالة", "عاجل", "تهديد", "تحرش", "وساطة", "مفتشية العمل",
    ),
    "tl": (
        "pang-aabuso*", "abuso*", "pagsasamantala*", "sapilitang paggawa", "alipin*",
        "pang-aalipin*", "biktima*", "karahasan*", "reklamo*", "sumbong*", "pulis*", "amo",
        "tagapag-empleyo*", "banta", "pagbabanta*", "pag-aalala*",
    ),
    "id": (
        "perdagangan orang", "penyelundupan*", "kekerasan*", "pelecehan*", "penyalahgunaan*",
        "eksploitasi*", "kerja paksa", "perbudakan*", "budak", "korban*", "pengaduan*",
        "keluhan*", "polisi*", "majikan*", "pemberi kerja", "kekhawatiran*", "ancaman*",
        "mendesak",
    ),
    "am": (
        "የሰዎች ዝውውር", "ሕገ ወጥ ዝውውር", "ሕገወጥ ዝውውር", "በደል", "ብዝበዛ", "የግዳጅ ሥራ", "ባርነት",
        "ተጠቂ", "ጥቃት", "ቅሬታ", "አቤቱታ", "ፖሊስ", "አሠሪ", "አሰሪ", "ስጋት", "ማስፈራራት",
        "አስቸኳይ",
    ),
    "ti": ("ፖሊስ", "ግፍዒ", "ዝውውር ሰባት"),
    "sw": (
        "usafirishaji haramu", "biashara haramu", "unyanyasaji*", "unyonyaji*",
        "kazi ya kulazimishwa", "utumwa*", "mtumwa", "watumwa", "mwathirika*", "waathirika*",
        "ukatili*", "vurugu", "malalamiko*", "lalamiko", "polisi*", "mwajiri*", "waajiri*",
        "wasiwasi*", "tishio*", "vitisho*", "dharura*",
    ),
    "ne": (
        "बेचबिखन*", "मानव तस्करी*", "दुर्व्यवहार*", "शोषण*", "जबरजस्ती श्रम*", "दासत्व*",
        "पीडित*", "हिंसा*", "उजुरी*", "प्रहरी*", "पुलिस*", "रोजगारदाता*", "चिन्ता*", "धम्की*",
    ),
    "hi": (
        "मानव तस्करी*", "तस्करी*", "दुर्व्यवहार*", "शोषण*", "बंधुआ*", "जबरन श्रम*", "गुलाम*",
        "पीड़ित*", "हिंसा*", "शिकायत*", "पुलिस*", "नियोक्ता*", "चिंता*", "धमकी*",
    ),
    "bn": (
        "পাচার*", "নির্যাতন*", "শোষণ*", "জোরপূর্বক শ্রম*", "দাসত্ব*", "ভুক্তভোগী*", "সহিংসতা*",
        "অভিযোগ*", "পুলিশ*", "নিয়োগকর্তা*", "উদ্বেগ*", "হুমকি*",
    ),
    "si": (
        "ජාවාරම*", "අපයෝජන*", "සූරාකෑම*", "බලහත්කාර*", "වින්දිත*", "හිංසන*", "පැමිණිලි*",
        "පැමිණිල්ල*", "පොලිස*", "පොලීසි*", "සේවා යෝජක*", "හාම්පුතා*", "තර්ජන*",
    ),
    "ta": (
        "கடத்தல்*", "துஷ்பிரயோக*", "சுரண்டல்*", "கட்டாய உழைப்பு*", "அடிமை*", "வன்முறை*",
        "புகார்*", "காவல்*", "போலீஸ்*", "முதலாளி*", "அச்சுறுத்தல்*",
    ),
    "ml": (
        "മനുഷ്യക്കടത്ത്*", "പീഡന*", "ചൂഷണ*", "നിർബന്ധിത തൊഴിൽ*", "അടിമ*", "അക്രമ*", "പരാതി*",
        "പോലീസ്*", "തൊഴിലുടമ*", "ഭീഷണി*",
    ),
    "ur": (
        "اسمگلنگ*", "سمگلنگ*", "بدسلوکی*", "استحصال*", "جبری مشقت*", "غلامی*", "تشدد*",
        "شکایت*", "پولیس*", "آجر", "دھمکی*",
    ),
    "th": (
        "ค้ามนุษย์", "ละเมิด", "แสวงประโยชน์", "แรงงานบังคับ", "เหยื่อ", "ความรุนแรง", "ร้องเรียน",
        "ตำรวจ", "นายจ้าง", "ข่มขู่",
    ),
    "vi": (
        "buôn bán người", "lạm dụng", "bóc lột", "cưỡng bức", "nô lệ", "nạn nhân", "bạo lực",
        "khiếu nại", "tố cáo", "công an", "cảnh sát", "chủ lao động", "người sử dụng lao động",
        "lo ngại", "đe dọa", "khẩn cấp",
    ),
    "my": ("လူကုန်ကူး", "အလွဲသုံး", "ခေါင်းပုံဖြတ်", "အတင်းအဓမ္မ", "အကြမ်းဖက်", "တိုင်ကြား", "ရဲစခန်း", "အလုပ်ရှင်"),
    "zh": (
        "人口贩卖", "贩卖人口", "拐卖", "虐待", "剥削", "强迫劳动", "奴役", "受害", "暴力", "投诉",
        "举报", "警察", "报警", "雇主", "担忧", "威胁", "紧急",
    ),
    "ru": (
        "торговля людьми", "торговли людьми", "торговлей людьми", "насили*", "жестоко*",
        "злоупотреблен*", "эксплуатац*", "принудительн*", "рабств*", "жертв*", "жалоб*",
        "полици*", "работодател*", "беспокойств*", "угроз*", "срочн*",
    ),
    "uk": (
        "торгівля людьми", "торгівлі людьми", "насильств*", "насилля", "зловживан*",
        "експлуатац*", "примусов*", "рабств*", "жертв*", "скарг*", "поліці*", "роботодав*",
        "занепокоєн*", "загроз*", "терміново",
    ),
    "tr": (
        "insan ticareti*", "kaçakçılı*", "istismar*", "sömürü*", "zorla çalıştır*", "kölelik*",
        "köle", "mağdur*", "şiddet*", "şikayet*", "polis*", "işveren*", "endişe*", "tehdit*",
        "acil",
    ),
}  # fmt: skip
# Scripts written without spaces between words, or where words take attached prefixes (Arabic
# "ال", Amharic "የ"): an entry in these lists is found anywhere in the text.
SUBSTRING_LANGUAGES = {"ar", "am", "ti", "th", "my", "zh"}
# Languages whose marks carry meaning: without its tones Vietnamese "nô lệ" (slave) would match
# Spanish "no le". Their entries are compared with the text's marks kept.
KEEP_MARKS_LANGUAGES = {"vi"}


class _Unmarked(dict):
    """A str.translate table dropping combining marks and format characters (joiners), filled
    as characters are met: every SMS is checked, and a table is far faster than a loop."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code)) in ("Mn", "Cf") else code
        self[code] = kept
        return kept


_UNMARKED = _Unmarked()
_SPACES = re.compile(r"\s+")


def _normalise(text: str, *, keep_marks: bool = False) -> str:
    """Lower case, without accents, marks or joiners, so "Abusé" and "abuse" compare equal."""
    if text.isascii():
        # No accents, marks or joiners, and every normal form is the text itself.
        return _SPACES.sub(" ", text.lower())
    if keep_marks:
        return _SPACES.sub(" ", unicodedata.normalize("NFC", text.casefold()))
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _SPACES.sub(" ", decomposed.translate(_UNMARKED))


def _word_pattern(entry: str, *, keep_marks: bool = False) -> str:
    """A whole word or phrase, or a word start for an entry ending with "*"; the caller puts it
    after (?<!\\w) so it starts a word."""
    prefix = entry.endswith("*")
    body = re.escape(_normalise(entry.rstrip("*"), keep_marks=keep_marks))
    return body + ("" if prefix else r"(?!\w)")


def _denied_patterns() -> dict[bool, re.Pattern]:
    return _compiled_patterns(tuple(getattr(settings, "HESTIA_SMS_DENIED_WORDS", ())))


@functools.cache
def _compiled_patterns(extra: tuple[str, ...]) -> dict[bool, re.Pattern]:
    """One pattern finding every denied entry, per way of comparing (marks dropped or kept).
    Word entries sit behind a single "start of a word" test, which keeps the search fast."""
    words: dict[bool, list[str]] = {False: [], True: []}
    anywhere: list[str] = []
    for language, entries in [*SMS_DENIED_WORDS.items(), ("", extra)]:
        keep_marks = language in KEEP_MARKS_LANGUAGES
        for entry in entries:
            if language in SUBSTRING_LANGUAGES:
                anywhere.append(re.escape(_normalise(entry)))
            else:
                words[keep_marks].append(_word_pattern(entry, keep_marks=keep_marks))
    patterns = {}
    for keep_marks, parts in words.items():
        alternatives = [r"(?<!\w)(?:" + "|".join(parts) + ")"] if parts else []
        if not keep_marks and anywhere:
            alternatives.append("|".join(anywhere))
        if alternatives:
            patterns[keep_marks] = re.compile("|".join(alternatives))
    return patterns


def sms_denied_words(text: str) -> list[str]:
    """The denied words found in `text`, as they appear (in lower case, without accents)."""
    found = []
    for keep_marks, pattern in _denied_patterns().items():
        normalised = _normalise(text, keep_marks=keep_marks)
        for match in pattern.finditer(normalised):
            # The whole word, for the editor to see: "abus*" found in "abusive" shows "abusive".
            word = match[0] + re.match(r"\w*", normalised[match.end() :])[0]
            if word not in found:
                found.append(word)
    return found


def _names(pairs) -> set[str]:
    names = set()
    for family_name, mission in pairs:
        names.update(name for name in (family_name, mission) if name and len(name.strip()) > 1)
    return names


def _employer_names(worker) -> set[str]:
    """Names that would tell a reader who employs the worker: every employer's family name and
    mission, past ones included (one query)."""
    return _names(
        Employment.objects.filter(worker=worker).values_list(
            "employer__family_name", "employer__mission__name"
        )
    )


def employer_names_by_worker(worker_ids) -> dict[int, set[str]]:
    """_employer_names of many workers in one query, for sms_is_safe(employer_names=...)."""
    pairs: dict[int, list[tuple[str, str]]] = {pk: [] for pk in worker_ids}
    for worker_id, family_name, mission in Employment.objects.filter(
        worker_id__in=pairs
    ).values_list("worker_id", "employer__family_name", "employer__mission__name"):
        pairs[worker_id].append((family_name, mission))
    return {pk: _names(found) for pk, found in pairs.items()}


def _without_own_links(body: str) -> str:
    public_url = settings.HESTIA_PUBLIC_URL.rstrip("/")
    if not public_url or public_url not in body:
        return body
    return re.sub(re.escape(public_url) + r"(?:/\S*)?", " ", body)


def sms_is_safe(body: str, *, worker, employer_names: set[str] | None = None) -> bool:
    """Whether a rendered SMS may go to `worker`'s phone: no denied word (SMS_DENIED_WORDS) and
    no name of the worker's employers or their missions, which a value passed to notify() (a
    place, say) could bring in. DESIGN.md, "Worker safety in messages". `employer_names`: the
    worker's, read beforehand with employer_names_by_worker() by a caller checking many SMS at once.

    Hestia's own links (HESTIA_PUBLIC_URL...) are left out: their random tokens are ours, and one
    in a few thousand spelt a denied word ("ngo") and held an invitation for hand-over."""
    body = _without_own_links(body)
    normalised = _normalise(body)
    for keep_marks, pattern in _denied_patterns().items():
        if pattern.search(_normalise(body, keep_marks=True) if keep_marks else normalised):
            return False
    if employer_names is None:
        employer_names = _employer_names(worker)
    return not any(
        # A name that is not in the text at all cannot match: most SMS skip the word test.
        _normalise(name.rstrip("*")) in normalised
        and re.search(r"(?<!\w)" + _word_pattern(name), normalised)
        for name in employer_names
    )


# --- Preview ------------------------------------------------------------------------------

SAMPLE_DATE = (2027, 9, 30)


def sample_values(kind: str, language: str) -> dict[str, str]:
    """Values of a realistic length the editor previews with and the segment limit is checked
    against; real dates, places and links of similar length give the same count."""
    # The date as Django writes it in that language; a code it cannot know falls back to English.
    known = re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})*", language)
    with translation.override(language if known else "en"):
        date = formats.date_format(dt.date(*SAMPLE_DATE), "DATE_FORMAT")
    public_url = settings.HESTIA_PUBLIC_URL
    # As long as notifications.rights.rights_page_url makes it.
    rights_url = f"{public_url}/rights/{language}/"
    values = {
        "given_names": "Maria Rosario",
        "ministry_phone": settings.HESTIA_MINISTRY_PHONE,
        "public_url": public_url,
        "rights_url": rights_url,
        "language": language,
        "date": date,
        "time": "10:30",
        "place": "Protocol Office, room 2.14",
        # A signed link to confirm or move an appointment; for the rights information, the page.
        "link": rights_url
        if kind == Kind.RIGHTS_INFORMATION
        else f"{public_url}/a/Xq7Lm2Pz9Rt4Vw8Kb3Nc5",
    }
    return {name: values[name] for name in allowed_variables(kind)}


@functools.lru_cache(maxsize=512)
def _compiled(engine: Engine, text: str) -> Template:
    return Template("{% autoescape off %}" + text + "{% endautoescape %}", engine=engine)


def render_text(text: str, values: dict) -> str:
    """A template text rendered as plain text, never HTML-escaped, trimmed (SMS and e-mail
    bodies). Each text is compiled once: a run notifying thousands renders the same few."""
    return _compiled(Engine.get_default(), text).render(Context(values)).strip()


@dataclass(frozen=True)
class Preview:
    subject: str
    body: str
    values: dict
    sms: SmsCount | None
    max_segments: int

    @property
    def too_long(self) -> bool:
        return self.sms is not None and self.sms.segments > self.max_segments


def template_preview(*, kind: str, channel: str, language: str, subject: str, body: str):
    """The notice as a worker would read it, with sample values; None if the text has errors."""
    if template_errors(body, kind=kind) or template_errors(subject, kind=kind):
        return None
    values = sample_values(kind, language)
    rendered = render_text(body, values)
    return Preview(
        subject=render_text(subject, values) if channel == Channel.EMAIL else "",
        body=rendered,
        values=values,
        sms=sms_count(rendered) if channel == Channel.SMS else None,
        max_segments=settings.HESTIA_SMS_MAX_SEGMENTS,
    )


def template_problems(
    *, kind: str, channel: str, language: str, subject: str, body: str
) -> dict[str, list[ValidationError]]:
    """Everything that stops a template from being saved, by field (empty when it can be)."""
    problems: dict[str, list[ValidationError]] = {}
    body_errors = template_errors(body, kind=kind)
    subject_errors = template_errors(subject, kind=kind) if channel == Channel.EMAIL else []
    if channel == Channel.EMAIL and not subject.strip():
        subject_errors.append(
            _error(_("An e-mail needs a subject."), "required"),
        )
    if channel == Channel.SMS and not body_errors:
        denied = sms_denied_words(body)
        if denied:
            body_errors.append(
                _error(
                    _(
                        "An SMS may be read by the employer, so it cannot contain: %(words)s. Keep to the date, time, place, link and the ministry's number."
                    )
                    % {"words": ", ".join(denied)},
                    "unsafe",
                )
            )
        preview = template_preview(
            kind=kind, channel=channel, language=language, subject="", body=body
        )
        if preview is not None and preview.too_long:
            body_errors.append(
                _error(
                    _(
                        "With sample values this SMS takes %(segments)s segments in %(encoding)s; the limit is %(limit)s. Shorten it."
                    )
                    % {
                        "segments": preview.sms.segments,
                        "encoding": preview.sms.encoding,
                        "limit": preview.max_segments,
                    },
                    "segments",
                )
            )
    if body_errors:
        problems["body"] = body_errors
    if subject_errors:
        problems["subject"] = subject_errors
    return problems


# --- Saving -------------------------------------------------------------------------------


@transaction.atomic
def message_template_save(
    *,
    by,
    template: MessageTemplate | None = None,
    kind: str = "",
    channel: str = "",
    language: str = "",
    subject: str,
    body: str,
    based_on_version: int | None = None,
    request=None,
) -> MessageTemplate:
    """Create a template, or change one and raise its version by one (issue 5, point 2).

    Every message records the version it was rendered from, and django-simple-history keeps
    each version's text. A text with unknown variables, tags, denied SMS words or too many SMS
    segments is refused and nothing changes. `based_on_version` is the version the editor
    opened: if someone saved since, the change is refused rather than silently overwriting.
    """
    if template is not None:
        template = MessageTemplate.objects.select_for_update().get(pk=template.pk)
        kind, channel, language = template.kind, template.channel, template.language
    elif (
        kind not in KIND_VARIABLES
        or channel not in (Channel.SMS, Channel.EMAIL)
        or not 0 < len(language) <= 12
    ):
        raise ValidationError(
            _("Choose a kind of notice, a channel (SMS or e-mail) and a language."),
            code="invalid",
        )
    subject = subject.strip() if channel == Channel.EMAIL else ""
    body = body.replace("\r\n", "\n").strip()
    problems = template_problems(
        kind=kind, channel=channel, language=language, subject=subject, body=body
    )
    if problems:
        raise ValidationError(problems)
    if template is None:
        template = MessageTemplate(kind=kind, channel=channel, language=language, version=1)
        changed = ["kind", "channel", "language", "subject", "body", "version"]
        action = AuditEntry.Action.CREATE
    else:
        if based_on_version is not None and template.version != based_on_version:
            raise ValidationError(
                _(
                    "Someone saved this template (now version %(version)s) after you opened it. Open it again to see their change, then make yours."
                )
                % {"version": template.version},
                code="stale",
            )
        changed = [
            name
            for name, value in (("subject", subject), ("body", body))
            if getattr(template, name) != value
        ]
        if not changed:
            return template
        template.version += 1
        changed.append("version")
        action = AuditEntry.Action.UPDATE
    template.subject, template.body, template.updated_by = subject, body, by
    template._history_user = by  # simple_history: who made this version, outside a request too
    try:
        with transaction.atomic():
            if action == AuditEntry.Action.CREATE:
                template.save()
            else:
                template.save(update_fields=[*changed, "updated_by", "updated_at"])
    except IntegrityError:
        raise ValidationError(
            _("A template for this notice, channel and language exists already: edit that one."),
            code="exists",
        ) from None
    audit_log(
        action=action,
        actor=by,
        request=request,
        obj=template,
        changed_fields=changed,
        detail=f"version {template.version}",
    )
    return template


def template_history(template: MessageTemplate):
    """Every saved version of a template, newest first, with who saved it."""
    return template.history.select_related("history_user").order_by("-history_date", "-history_id")
