"""Synthetic people for the benchmarks: names in their own scripts, phone numbers and passport
numbers by country. No Django here: bench/generate.py and bench/importrun.py share it.

Each origin lists names as they are printed in the passport (Latin letters) with, where the
worker's own script is not Latin, the same name in that script: it goes into other_spellings,
so search by any spelling is exercised on Amharic, Sinhala, Devanagari, Arabic, Bengali,
Malayalam, Tamil and Cyrillic as well as on accented Latin (Vietnamese, Spanish).
"""

import random
from dataclasses import dataclass

import phonenumbers
from anyascii import anyascii


@dataclass(frozen=True)
class Origin:
    country: str
    weight: int
    language: str
    passport_prefix: str
    family: tuple[tuple[str, str], ...]
    female: tuple[tuple[str, str], ...]
    male: tuple[tuple[str, str], ...]
    # Given names before the family name in the worker's own script (False: Vietnamese order).
    given_first: bool = True


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """'Latin=native; Latin=native; Latin' -> ((Latin, native), ..., (Latin, ''))."""
    pairs = []
    for item in text.split(";"):
        latin, _sep, native = item.strip().partition("=")
        pairs.append((latin.strip(), native.strip()))
    return tuple(pairs)


ORIGINS = (
    Origin(
        "PH",
        24,
        "tl",
        "P",
        _pairs(
            "Santos; Reyes; Dela Cruz; Garcia; Mendoza; Bautista; Villanueva; Ramos; Aquino; "
            "Castillo; Flores; Gonzales; Manalo; Pascual; Mercado; Dizon; Soriano; Macaraeg; "
            "Dimaculangan; Magbanua; Del Rosario; Panganiban; Tolentino; Cabrera"
        ),
        _pairs(
            "Maria Luz; Rosario; Marites; Jocelyn; Maricel; Analyn; Rowena; Gemma; Lorna; "
            "Cristina; Jennylyn; Ma. Theresa; Evangeline; Rhodora; Lovely Joy; Mary Grace"
        ),
        _pairs("Jose; Rodel; Arnel; Jonathan; Ramil; Reynaldo; Jun-Jun; Efren"),
    ),
    Origin(
        "ET",
        8,
        "am",
        "EP",
        _pairs(
            "Tesfaye=ተስፋዬ; Alemu=አለሙ; Bekele=በቀለ; Girma=ግርማ; Haile=ኃይሌ; Tadesse=ታደሰ; "
            "Kebede=ከበደ; Mengistu=መንግሥቱ; Wolde=ወልዴ; Abebe=አበበ; Desta=ደስታ; "
            "Gebremedhin=ገብረመድኅን; Assefa=አሰፋ; Negash=ነጋሽ"
        ),
        _pairs(
            "Meseret=መሰረት; Tigist=ትዕግሥት; Hiwot=ሕይወት; Selamawit=ሰላማዊት; Almaz=አልማዝ; "
            "Bethlehem=ቤተልሔም; Meron=ሜሮን; Tsion=ጽዮን; Liya=ሊያ; Fikirte=ፍቅርተ; Mulu=ሙሉ"
        ),
        _pairs("Dawit=ዳዊት; Yonas=ዮናስ; Solomon=ሰሎሞን; Abel=አቤል"),
    ),
    Origin(
        "ER",
        2,
        "ti",
        "E",
        _pairs(
            "Tesfamariam=ተስፋማርያም; Ghebreyesus=ገብረየሱስ; Habte=ሃብተ; Berhane=ብርሃነ; "
            "Kidane=ኪዳነ; Weldemichael=ወልደሚካኤል"
        ),
        _pairs("Senait=ሰናይት; Helen=ሄለን; Freweini=ፍረወይኒ; Saba=ሳባ; Yordanos=ዮርዳኖስ"),
        _pairs("Merhawi=መርሃዊ; Filmon=ፊልሞን"),
    ),
    Origin(
        "LK",
        8,
        "si",
        "N",
        _pairs(
            "Perera=පෙරේරා; Fernando=ප්‍රනාන්දු; Silva=සිල්වා; Jayasinghe=ජයසිංහ; "
            "Wickramasinghe=වික්‍රමසිංහ; Dissanayake=දිසානායක; Bandara=බණ්ඩාර; Herath=හේරත්; "
            "Rathnayake=රත්නායක; Gunawardena=ගුණවර්ධන"
        ),
        _pairs(
            "Kumari=කුමාරි; Dilani=දිලානි; Chandrika=චන්ද්‍රිකා; Nilmini=නිල්මිණි; "
            "Sanduni=සඳුනි; Anoma=අනෝමා; Thushari=තුෂාරි; Priyanka=ප්‍රියංකා"
        ),
        _pairs("Nuwan=නුවන්; Chaminda=චමින්ද"),
    ),
    Origin(
        "NP",
        6,
        "ne",
        "PA",
        _pairs(
            "Gurung=गुरुङ; Tamang=तामाङ; Shrestha=श्रेष्ठ; Rai=राई; Magar=मगर; Thapa=थापा; "
            "Sherpa=शेर्पा; Limbu=लिम्बु; Karki=कार्की; Adhikari=अधिकारी; Bhandari=भण्डारी"
        ),
        _pairs(
            "Sita=सीता; Gita=गीता; Sabina=सबिना; Laxmi=लक्ष्मी; Maya=माया; Sarita=सरिता; "
            "Anita=अनिता; Kamala=कमला; Srijana=सृजना; Pasang Lhamu=पासाङ ल्हामु"
        ),
        _pairs("Ram=राम; Bishal=बिशाल; Dawa=दावा"),
    ),
    Origin(
        "IN",
        6,
        "ml",
        "K",
        _pairs(
            "Thomas=തോമസ്; Joseph=ജോസഫ്; Varghese=വർഗീസ്; Kurian=കുര്യൻ; Nair=നായർ; "
            "Pillai=പിള്ള; Mathew=മാത്യു; Chacko=ചാക്കോ"
        ),
        _pairs(
            "Mini=മിനി; Bindu=ബിന്ദു; Sheeba=ഷീബ; Jincy=ജിൻസി; Reena=റീന; Lissy=ലിസി; "
            "Sini=സിനി; Annamma=അന്നമ്മ"
        ),
        _pairs("Biju=ബിജു; Shaji=ഷാജി"),
    ),
    Origin(
        "LK",
        2,
        "ta",
        "N",
        _pairs(
            "Selvaraj=செல்வராஜ்; Murugan=முருகன்; Krishnan=கிருஷ்ணன்; Sivakumar=சிவகுமார்; Thevarajah=தேவராஜா"
        ),
        _pairs("Lakshmi=லட்சுமி; Meena=மீனா; Kavitha=கவிதா; Revathi=ரேவதி; Tharshini=தர்ஷினி"),
        _pairs("Suresh=சுரேஷ்; Kumaran=குமரன்"),
    ),
    Origin(
        "ID",
        6,
        "id",
        "B",
        _pairs(
            "Wulandari; Sari; Rahayu; Lestari; Kurniasih; Susanti; Handayani; Purwanti; "
            "Setiawati; Hidayat; Nurhayati; Suryani"
        ),
        _pairs("Siti; Dewi; Sri; Nur; Ani; Endang; Yuli; Rina; Tuti; Siti Aminah"),
        _pairs("Agus; Budi; Joko"),
    ),
    Origin(
        "MA",
        5,
        "ar",
        "U",
        _pairs(
            "El Amrani=العمراني; Benali=بن علي; Bennani=بناني; El Idrissi=الإدريسي; "
            "Alaoui=العلوي; Tazi=التازي; Chraibi=الشرايبي; Ouazzani=الوزاني; Berrada=برادة"
        ),
        _pairs(
            "Fatima Zahra=فاطمة الزهراء; Khadija=خديجة; Naima=نعيمة; Samira=سميرة; "
            "Hanane=حنان; Malika=مليكة; Zineb=زينب; Fatiha=فتيحة"
        ),
        _pairs("Mohamed=محمد; Youssef=يوسف; Rachid=رشيد"),
    ),
    Origin(
        "EG",
        4,
        "ar",
        "A",
        _pairs(
            "Abdelrahman=عبد الرحمن; Hassan=حسن; Mahmoud=محمود; Ibrahim=إبراهيم; "
            "Mostafa=مصطفى; Saleh=صالح; El Sayed=السيد; Abdelaziz=عبد العزيز"
        ),
        _pairs("Mona=منى; Amal=أمل; Heba=هبة; Nadia=نادية; Aya=آية; Samah=سماح; Doaa=دعاء"),
        _pairs("Ahmed=أحمد; Muhammad=محمد; Mohammed=محمد; Mahmoud=محمود"),
    ),
    Origin(
        "VN",
        5,
        "vi",
        "C",
        _pairs("Nguyễn; Trần; Lê; Phạm; Hoàng; Huỳnh; Phan; Vũ; Võ; Đặng; Bùi; Đỗ; Ngô; Dương"),
        _pairs(
            "Thị Lan; Thị Hoa; Thị Hương; Thị Mai; Thị Thu Hà; Ngọc Anh; Thị Hằng; Thị Thúy; "
            "Thị Ngọc Bích; Thị Phương"
        ),
        _pairs("Văn Hùng; Văn Nam; Minh Tuấn; Đức Anh"),
        given_first=False,
    ),
    Origin(
        "BD",
        4,
        "bn",
        "EH",
        _pairs(
            "Rahman=রহমান; Akter=আক্তার; Begum=বেগম; Khatun=খাতুন; Hossain=হোসেন; "
            "Islam=ইসলাম; Sarkar=সরকার"
        ),
        _pairs("Nasrin=নাসরিন; Shirin=শিরিন; Rupa=রূপা; Taslima=তাসলিমা; Moushumi=মৌসুমী; Shapla=শাপলা"),
        _pairs("Abdul Karim=আব্দুল করিম; Kamal=কামাল"),
    ),
    Origin(
        "PE",
        3,
        "es",
        "PE",
        _pairs(
            "Quispe Mamani; Huamán Condori; Rodríguez Quispe; Gutiérrez; Ramírez Huamán; "
            "Sánchez Núñez; Flores Ccama; Chávez; Mamani Apaza"
        ),
        _pairs(
            "María José; Rosa Elena; Ana Lucía; Yolanda; Marisol; Gladys; Nélida; Ruth; Sofía; Inés"
        ),
        _pairs("José Luis; Juan Carlos; Jesús"),
    ),
    Origin(
        "CO",
        3,
        "es",
        "AQ",
        _pairs(
            "González Martínez; López; Fernández; Gómez Peña; Rojas; Muñoz Ibáñez; Castaño; Ospina"
        ),
        _pairs("Luz Marina; Diana Patricia; Ángela; Yesenia; Martha Cecilia; Leidy Johana; Ximena"),
        _pairs("Andrés Felipe; Jhon Jairo"),
    ),
    Origin(
        "BO",
        2,
        "es",
        "BO",
        _pairs("Condori; Choque; Mamani; Quispe; Flores Limachi; Vargas; Ticona"),
        _pairs("Juana; Felipa; Ruth Noemí; Marlene; Teodora"),
        _pairs("Freddy; Wilson"),
    ),
    Origin(
        "KE",
        4,
        "sw",
        "AK",
        _pairs("Wanjiru; Achieng; Otieno; Kamau; Mwangi; Njeri; Wambui; Odhiambo; Chebet; Mutua"),
        _pairs("Grace; Mercy; Faith; Esther; Mary Wanjiku; Lucy; Joyce; Caroline; Zawadi"),
        _pairs("John; Peter Kariuki"),
    ),
    Origin(
        "UG",
        2,
        "lg",
        "B",
        _pairs("Nakato; Namubiru; Nansubuga; Nabirye; Okello; Mukasa; Nakimuli"),
        _pairs("Sarah; Annet; Harriet; Prossy; Juliet; Immaculate"),
        _pairs("Moses; Ronald"),
    ),
    Origin(
        "MG",
        2,
        "mg",
        "M",
        _pairs("Rakotomalala; Randrianarisoa; Rasoanaivo; Razafindrakoto; Andrianjafy; Rabe"),
        _pairs("Voahangy; Hanitra; Lalao; Fanja; Tiana; Noro; Hery Lala"),
        _pairs("Hery; Tojo"),
    ),
    Origin(
        "UA",
        3,
        "uk",
        "FA",
        _pairs(
            "Kovalenko=Коваленко; Shevchenko=Шевченко; Bondarenko=Бондаренко; "
            "Tkachenko=Ткаченко; Kravchenko=Кравченко; Melnyk=Мельник; Boiko=Бойко"
        ),
        _pairs(
            "Olena=Олена; Tetiana=Тетяна; Nataliia=Наталія; Iryna=Ірина; Oksana=Оксана; "
            "Halyna=Галина"
        ),
        _pairs("Oleksandr=Олександр; Andrii=Андрій"),
    ),
)

# Diplomats: names as accredited, in Latin letters with their own accents.
EMPLOYER_CULTURES = (
    _pairs(
        "Al-Harbi=Nasser; Al-Otaibi=Faisal; Al-Qahtani=Abdullah; Al-Mansouri=Khalid; "
        "Al-Thani=Hamad; Al-Sabah=Sheikha Fatima; Al-Nahyan=Mariam; Al-Rashid=Omar"
    ),
    _pairs("Wang=Wei; Li=Na; Zhang=Jianguo; Chen=Xiaoming; Liu=Yang; Zhao=Li Hua"),
    _pairs("Tanaka=Hiroshi; Suzuki=Yuki; Watanabe=Kenji; Kim=Min-jun; Park=Ji-yeon"),
    _pairs("Ivanov=Sergei; Petrova=Anna; Smirnov=Dmitri; Kuznetsova=Yelena"),
    _pairs("Silva=João Pedro; Souza=Ana Beatriz; Oliveira=Luís; Conceição=Maria"),
    _pairs("Okonkwo=Chinedu; Adeyemi=Folake; Mensah=Kwame; Diallo=Aminata; Ndiaye=Moussa"),
    _pairs("Sharma=Rajesh; Iyer=Lakshmi; Khan=Imran; Chaudhry=Ayesha"),
    _pairs("Dubois=Jean-Marc; Lefèvre=Hélène; Müller=Jürgen; Schäfer=Käthe; Rossi=Giulia"),
    _pairs("Yılmaz=Ahmet; Şahin=Elif; Papadopoulos=Nikolaos; Wiśniewski=Łukasz"),
    _pairs("García Márquez=Alejandro; Núñez=Lucía; Fernández=Joaquín; Peña Nieto=Camila"),
    _pairs("Guðmundsdóttir=Sigríður; Johansson=Erik; Nieminen=Aino; Øverland=Bjørn"),
)

INTERNATIONAL_ORGANISATIONS = (
    "European Organisation for Nuclear Research",
    "International Organisation for Migration",
    "World Customs Organisation",
    "Organisation for Security and Co-operation in Europe",
    "International Labour Organisation liaison office",
    "United Nations Regional Information Centre",
    "North Atlantic Treaty Organisation",
    "African Union mission",
    "League of Arab States mission",
    "Association of Southeast Asian Nations committee",
    "European Space Agency liaison office",
    "International Committee of the Red Cross delegation",
    "Organisation of Islamic Cooperation office",
    "World Health Organisation office",
    "Eurocontrol",
    "Benelux Union secretariat",
    "International Organisation of La Francophonie",
    "Commonwealth Secretariat office",
    "Inter-Parliamentary Union office",
    "Organisation of American States observer mission",
)

DUTIES = (
    "Cleaning, laundry and cooking",
    "Care of two children, school runs",
    "Cooking for the household and receptions",
    "Housekeeping and care of an elderly relative",
    "Gardening and driving",
    "Nanny for an infant",
)


def passport_number(origin: Origin, serial: int) -> str:
    """A unique, plausible passport number: the country's letters and seven scrambled digits."""
    # 7,654,321 shares no factor with 10**7: a scrambled permutation of 0..9,999,999.
    digits = (serial * 7_654_321 + 1_234_567) % 10_000_000
    return f"{origin.passport_prefix}{digits:07d}"


_MOBILE_EXAMPLES: dict[str, phonenumbers.PhoneNumber] = {}


def mobile_number(region: str, rng: random.Random) -> str:
    """A valid mobile number of the region in E.164: the example's prefix, random digits after."""
    example = _MOBILE_EXAMPLES.get(region)
    if example is None:
        example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        _MOBILE_EXAMPLES[region] = example
    national = str(example.national_number)
    keep = 3 if len(national) >= 9 else 2
    for _attempt in range(30):
        candidate = national[:keep] + "".join(
            rng.choice("0123456789") for _ in range(len(national) - keep)
        )
        number = phonenumbers.PhoneNumber(
            country_code=example.country_code, national_number=int(candidate)
        )
        if phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)


@dataclass
class Person:
    origin: Origin
    family_name: str
    given_names: str
    other_spellings: str
    sex: str


def person(rng: random.Random, origins=ORIGINS) -> Person:
    """A worker's names: passport spelling, and the worker's own script or a variant spelling."""
    origin = rng.choices(origins, weights=[o.weight for o in origins])[0]
    roll = rng.random()
    sex = "F" if roll < 0.85 else ("M" if roll < 0.98 else "X")
    pool = origin.male if sex == "M" else origin.female
    family = rng.choice(origin.family)
    given = [rng.choice(pool)]
    if rng.random() < 0.25:
        second = rng.choice(pool)
        if second != given[0]:
            given.append(second)
    family_name, native_family = family
    given_names = " ".join(latin for latin, _native in given)
    spellings = []
    if native_family and all(native for _latin, native in given):
        native_given = " ".join(native for _latin, native in given)
        spellings.append(
            f"{native_given} {native_family}"
            if origin.given_first
            else f"{native_family} {native_given}"
        )
    elif rng.random() < 0.3:
        # As the worker writes it, or as another document (a visa, a bank card) spells it.
        if origin.given_first:
            written = f"{given_names} {family_name}"
            variant = written.replace("Dela ", "De la ").replace("Ma. ", "Maria ")
            spellings.append(variant if variant != written else anyascii(written).upper())
        else:
            spellings.append(anyascii(f"{family_name} {given_names}").upper())
    return Person(origin, family_name, given_names, "\n".join(spellings), sex)


# --- Interviews: the people and places around them ---------------------------------------------

# Each interviewer speaks English and French and, in turn, one of the workers' languages.
INTERVIEWER_LANGUAGES = ("tl", "am", "si", "ar", "es", "tl", "ne", "vi", "ml", "id", "sw", "bn")

# Independent interpreters: (name, languages, by phone). Two more are linked to a mission and
# are never booked (generate.py marks them).
INTERPRETERS = (
    ("Rowena Dimaculangan", ("tl", "en"), False),
    ("Jun Villanueva", ("tl",), True),
    ("Hirut Bekele", ("am", "ti"), False),
    ("Yonas Tesfamariam", ("ti", "am"), True),
    ("Chaminda Herath", ("si", "ta"), False),
    ("Kavitha Selvaraj", ("ta", "si"), True),
    ("Pasang Sherpa", ("ne",), False),
    ("Sheeba Kurian", ("ml",), True),
    ("Siti Handayani", ("id",), False),
    ("Samira Alaoui", ("ar", "fr"), False),
    ("Heba Mahmoud", ("ar",), True),
    ("Nguyễn Thị Mai", ("vi",), False),
    ("Shirin Sarkar", ("bn",), True),
    ("Rosa Elena Quispe", ("es",), False),
    ("Zawadi Mwangi", ("sw", "lg"), True),
    ("Hanitra Rasoanaivo", ("mg", "fr"), True),
    ("Olena Kovalenko", ("uk", "ru"), False),
)
LINKED_INTERPRETERS = (("Faisal Al-Harbi", ("ar",)), ("Maria Conceição", ("tl", "es")))

# Where concerns are referred: (name, kind, phone).
ORGANISATIONS = (
    ("PAG-ASA", "shelter", "+3225550101"),
    ("Payoke", "shelter", "+3225550102"),
    ("Sürya", "shelter", "+3225550103"),
    ("Federal Labour Inspectorate, Social Law Control", "labour_inspectorate", "+3225550104"),
    ("Federal Police, Human Trafficking Unit", "police", "+3225550105"),
    ("Diplomatic Mediation Office", "mediation", "+3225550106"),
    ("Domestic Workers' Union Brussels", "ngo", "+3225550107"),
    ("Migrant Workers' Legal Aid", "ngo", "+3225550108"),
    ("Kalayaan Belgium", "ngo", "+3225550109"),
    ("Ethiopian Women's Association", "ngo", "+3225550110"),
    ("Sri Lankan Community Welfare Centre", "ngo", "+3225550111"),
    ("Red Cross Family Links", "other", "+3225550112"),
)

CONCERN_ACTIONS = (
    "Called the worker on her own phone; she confirmed what she said in the interview.",
    "Met the worker at the ministry with an interpreter.",
    "Asked the bank for the last six months of statements, with the worker's consent.",
    "Discussed with the supervisor; a referral is agreed.",
    "The worker received a copy of her contract in her language.",
    "Checked that the worker keeps her passport; she showed it.",
    "Told the worker about the shelter and the hotline.",
    "Follow-up call: the worker says the wage is now paid in full.",
)
CANCEL_REASONS = (
    "The employment ended before the appointment.",
    "Booked twice by mistake.",
    "The worker left the country.",
    "The interviewer is ill; a new time will be offered.",
)
MOVE_NOTES = (
    "Thursday afternoons are best.",
    "Not on Monday, please.",
    "Any morning after 10.",
    "My day off is Sunday; Saturday morning if possible.",
)
RECORD_NOTES = (
    "She says the family treats her well and she wants to stay.",
    "Works long hours during receptions; is paid overtime in cash.",
    "Sends most of her wage home; asked about the bank card, which she keeps.",
    "Was nervous at first; relaxed once the interpreter explained the purpose.",
    "Wants to take a French course on her day off.",
    "Room is shared with the children; no lock.",
)
FAILURES = (
    ("unreachable", "The handset was switched off for 72 hours."),
    ("invalid_number", "The number is not in service."),
    ("blocked", "The operator blocked the sender."),
    ("bounced", "The mailbox does not exist."),
)

# Further places for mission names when a size needs more missions than there are countries.
HOST_CITIES = (
    "Antwerp",
    "Ghent",
    "Liège",
    "Charleroi",
    "Bruges",
    "Namur",
    "Leuven",
    "Mons",
    "Mechelen",
    "Hasselt",
    "Kortrijk",
    "Ostend",
    "Tournai",
    "Genk",
    "Arlon",
    "Wavre",
    "Verviers",
    "Aalst",
    "Sint-Niklaas",
    "Eupen",
)
