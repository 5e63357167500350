"""The worker's appointment page (/a/<token>/) in the twelve languages notices are written in.

The page is read by the worker on their own phone, without a login, in their own language
(recommendation 38). Plain words, short sentences; it says "appointment", never what the
appointment is for, and never names the employer (DESIGN.md, "Worker safety in messages").

English is the source. Every other language is a machine draft that a native speaker must
review, like the rights information (notifications/rights_content): when one has, add its code
to REVIEWED. {name} is the worker's given name; keep it as it is.
"""

from dataclasses import dataclass

SOURCE_LANGUAGE = "en"
REVIEWED = {"en"}

# The order of the language links on the page.
LANGUAGES = ("en", "fr", "es", "ar", "tl", "id", "sw", "vi", "am", "ne", "si", "bn")

KEYS = (
    "title",
    "hello",
    "intro",
    "date",
    "time",
    "place",
    "interpreter_yes",
    "interpreter_no",
    "question",
    "confirm",
    "move",
    "note_label",
    "confirmed",
    "move_requested",
    "not_booked",
    "closed",
    "expired",
    "invalid",
    "call",
    "languages",
    "note_too_long",
)


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in its own script
    direction: str
    script: str  # the CSS class that picks the Noto font (static/css/appointment.css)


LANGUAGE_INFO = {
    "en": Language("en", "English", "ltr", "latin"),
    "fr": Language("fr", "Français", "ltr", "latin"),
    "es": Language("es", "Español", "ltr", "latin"),
    "ar": Language("ar", "العربية", "rtl", "arabic"),
    "tl": Language("tl", "Filipino", "ltr", "latin"),
    "id": Language("id", "Bahasa Indonesia", "ltr", "latin"),
    "sw": Language("sw", "Kiswahili", "ltr", "latin"),
    "vi": Language("vi", "Tiếng Việt", "ltr", "latin"),
    "am": Language("am", "አማርኛ", "ltr", "ethiopic"),
    "ne": Language("ne", "नेपाली", "ltr", "devanagari"),
    "si": Language("si", "සිංහල", "ltr", "sinhala"),
    "bn": Language("bn", "বাংলা", "ltr", "bengali"),
}

TEXTS: dict[str, dict[str, str]] = {}

TEXTS["en"] = {
    "title": "Your appointment",
    "hello": "Hello {name},",
    "intro": "You have an appointment at the Ministry.",
    "date": "Date",
    "time": "Time",
    "place": "Place",
    "interpreter_yes": "An interpreter will be there.",
    "interpreter_no": "If you need an interpreter, please call us.",
    "question": "Can you come?",
    "confirm": "I will come",
    "move": "I need another time",
    "note_label": "Which days and times suit you? (You may leave this empty.)",
    "confirmed": "Thank you. You told us you will come.",
    "move_requested": "Thank you. You asked for another time. We will send you a new time.",
    "not_booked": "We will send you the date and time soon.",
    "closed": "This appointment is no longer open.",
    "expired": "This link has expired.",
    "invalid": "This link is not valid.",
    "call": "Questions? Call the Ministry:",
    "languages": "Other languages",
    "note_too_long": "Please write a shorter message (300 characters at most).",
}

TEXTS["fr"] = {
    "title": "Votre rendez-vous",
    "hello": "Bonjour {name},",
    "intro": "Vous avez un rendez-vous au Ministère.",
    "date": "Date",
    "time": "Heure",
    "place": "Lieu",
    "interpreter_yes": "Un interprète sera présent.",
    "interpreter_no": "Si vous avez besoin d'un interprète, appelez-nous.",
    "question": "Pouvez-vous venir ?",
    "confirm": "Je viendrai",
    "move": "J'ai besoin d'une autre heure",
    "note_label": "Quels jours et quelles heures vous conviennent ? (Vous pouvez laisser vide.)",
    "confirmed": "Merci. Vous nous avez dit que vous viendrez.",
    "move_requested": "Merci. Vous avez demandé une autre heure. Nous vous enverrons une nouvelle heure.",
    "not_booked": "Nous vous enverrons bientôt la date et l'heure.",
    "closed": "Ce rendez-vous n'est plus ouvert.",
    "expired": "Ce lien a expiré.",
    "invalid": "Ce lien n'est pas valide.",
    "call": "Des questions ? Appelez le Ministère :",
    "languages": "Autres langues",
    "note_too_long": "Écrivez un message plus court (300 caractères au maximum).",
}

TEXTS["es"] = {
    "title": "Su cita",
    "hello": "Hola, {name}:",
    "intro": "Tiene una cita en el Ministerio.",
    "date": "Fecha",
    "time": "Hora",
    "place": "Lugar",
    "interpreter_yes": "Habrá un intérprete.",
    "interpreter_no": "Si necesita un intérprete, llámenos.",
    "question": "¿Puede venir?",
    "confirm": "Iré",
    "move": "Necesito otra hora",
    "note_label": "¿Qué días y horas le vienen bien? (Puede dejarlo vacío.)",
    "confirmed": "Gracias. Nos ha dicho que vendrá.",
    "move_requested": "Gracias. Ha pedido otra hora. Le enviaremos una nueva hora.",
    "not_booked": "Pronto le enviaremos la fecha y la hora.",
    "closed": "Esta cita ya no está abierta.",
    "expired": "Este enlace ha caducado.",
    "invalid": "Este enlace no es válido.",
    "call": "¿Preguntas? Llame al Ministerio:",
    "languages": "Otros idiomas",
    "note_too_long": "Escriba un mensaje más corto (300 caracteres como máximo).",
}

TEXTS["ar"] = {
    "title": "موعدك",
    "hello": "مرحبًا {name}،",
    "intro": "لديك موعد في الوزارة.",
    "date": "التاريخ",
    "time": "الساعة",
    "place": "المكان",
    "interpreter_yes": "سيحضر مترجم.",
    "interpreter_no": "إذا احتجت إلى مترجم، اتصل بنا من فضلك.",
    "question": "هل يمكنك الحضور؟",
    "confirm": "سأحضر",
    "move": "أحتاج إلى وقت آخر",
    "note_label": "ما الأيام والأوقات المناسبة لك؟ (يمكنك ترك هذا فارغًا.)",
    "confirmed": "شكرًا. أخبرتنا أنك ستحضر.",
    "move_requested": "شكرًا. طلبت وقتًا آخر. سنرسل إليك وقتًا جديدًا.",
    "not_booked": "سنرسل إليك التاريخ والساعة قريبًا.",
    "closed": "هذا الموعد لم يعد قائمًا.",
    "expired": "انتهت صلاحية هذا الرابط.",
    "invalid": "هذا الرابط غير صالح.",
    "call": "هل لديك أسئلة؟ اتصل بالوزارة:",
    "languages": "لغات أخرى",
    "note_too_long": "اكتب رسالة أقصر من فضلك (300 حرف على الأكثر).",
}

TEXTS["tl"] = {
    "title": "Ang iyong appointment",
    "hello": "Magandang araw, {name},",
    "intro": "May appointment ka sa Ministeryo.",
    "date": "Petsa",
    "time": "Oras",
    "place": "Lugar",
    "interpreter_yes": "May tagasalin (interpreter) na naroon.",
    "interpreter_no": "Kung kailangan mo ng tagasalin, tawagan mo kami.",
    "question": "Makakapunta ka ba?",
    "confirm": "Pupunta ako",
    "move": "Kailangan ko ng ibang oras",
    "note_label": "Anong mga araw at oras ang puwede sa iyo? (Puwede mo itong iwanang blangko.)",
    "confirmed": "Salamat. Sinabi mo sa amin na pupunta ka.",
    "move_requested": "Salamat. Humingi ka ng ibang oras. Padadalhan ka namin ng bagong oras.",
    "not_booked": "Ipapadala namin sa iyo ang petsa at oras sa lalong madaling panahon.",
    "closed": "Hindi na bukas ang appointment na ito.",
    "expired": "Nag-expire na ang link na ito.",
    "invalid": "Hindi wasto ang link na ito.",
    "call": "May tanong? Tawagan ang Ministeryo:",
    "languages": "Iba pang wika",
    "note_too_long": "Pakisulat nang mas maikli (hanggang 300 titik lamang).",
}

TEXTS["id"] = {
    "title": "Janji temu Anda",
    "hello": "Halo {name},",
    "intro": "Anda punya janji temu di Kementerian.",
    "date": "Tanggal",
    "time": "Jam",
    "place": "Tempat",
    "interpreter_yes": "Seorang penerjemah akan hadir.",
    "interpreter_no": "Jika Anda memerlukan penerjemah, silakan telepon kami.",
    "question": "Apakah Anda bisa datang?",
    "confirm": "Saya akan datang",
    "move": "Saya perlu waktu lain",
    "note_label": "Hari dan jam berapa yang cocok untuk Anda? (Boleh dikosongkan.)",
    "confirmed": "Terima kasih. Anda sudah memberi tahu kami bahwa Anda akan datang.",
    "move_requested": "Terima kasih. Anda meminta waktu lain. Kami akan mengirimkan waktu yang baru.",
    "not_booked": "Kami akan segera mengirimkan tanggal dan jamnya.",
    "closed": "Janji temu ini sudah tidak berlaku.",
    "expired": "Tautan ini sudah kedaluwarsa.",
    "invalid": "Tautan ini tidak sah.",
    "call": "Ada pertanyaan? Telepon Kementerian:",
    "languages": "Bahasa lain",
    "note_too_long": "Mohon tulis pesan yang lebih pendek (paling banyak 300 huruf).",
}

TEXTS["sw"] = {
    "title": "Miadi yako",
    "hello": "Habari {name},",
    "intro": "Una miadi Wizarani.",
    "date": "Tarehe",
    "time": "Saa",
    "place": "Mahali",
    "interpreter_yes": "Mkalimani atakuwepo.",
    "interpreter_no": "Ukihitaji mkalimani, tafadhali tupigie simu.",
    "question": "Je, unaweza kuja?",
    "confirm": "Nitakuja",
    "move": "Nahitaji muda mwingine",
    "note_label": "Siku na saa zipi zinakufaa? (Unaweza kuacha wazi.)",
    "confirmed": "Asante. Umetuambia kwamba utakuja.",
    "move_requested": "Asante. Umeomba muda mwingine. Tutakutumia muda mpya.",
    "not_booked": "Tutakutumia tarehe na saa hivi karibuni.",
    "closed": "Miadi hii haipo tena.",
    "expired": "Muda wa kiungo hiki umekwisha.",
    "invalid": "Kiungo hiki si sahihi.",
    "call": "Una maswali? Piga simu Wizarani:",
    "languages": "Lugha nyingine",
    "note_too_long": "Tafadhali andika ujumbe mfupi zaidi (herufi 300 tu).",
}

TEXTS["vi"] = {
    "title": "Lịch hẹn của bạn",
    "hello": "Chào {name},",
    "intro": "Bạn có một lịch hẹn tại Bộ.",
    "date": "Ngày",
    "time": "Giờ",
    "place": "Địa điểm",
    "interpreter_yes": "Sẽ có phiên dịch viên.",
    "interpreter_no": "Nếu bạn cần phiên dịch viên, hãy gọi cho chúng tôi.",
    "question": "Bạn có thể đến không?",
    "confirm": "Tôi sẽ đến",
    "move": "Tôi cần giờ khác",
    "note_label": "Ngày và giờ nào phù hợp với bạn? (Có thể để trống.)",
    "confirmed": "Cảm ơn bạn. Bạn đã cho chúng tôi biết bạn sẽ đến.",
    "move_requested": "Cảm ơn bạn. Bạn đã xin giờ khác. Chúng tôi sẽ gửi cho bạn giờ mới.",
    "not_booked": "Chúng tôi sẽ sớm gửi cho bạn ngày và giờ.",
    "closed": "Lịch hẹn này không còn hiệu lực.",
    "expired": "Đường liên kết này đã hết hạn.",
    "invalid": "Đường liên kết này không hợp lệ.",
    "call": "Có câu hỏi? Hãy gọi cho Bộ:",
    "languages": "Ngôn ngữ khác",
    "note_too_long": "Vui lòng viết ngắn hơn (tối đa 300 ký tự).",
}

TEXTS["am"] = {
    "title": "ቀጠሮዎ",
    "hello": "ሰላም {name}፣",
    "intro": "በሚኒስቴሩ ቀጠሮ አለዎት።",
    "date": "ቀን",
    "time": "ሰዓት",
    "place": "ቦታ",
    "interpreter_yes": "አስተርጓሚ ይኖራል።",
    "interpreter_no": "አስተርጓሚ ካስፈለገዎት እባክዎ ይደውሉልን።",
    "question": "መምጣት ይችላሉ?",
    "confirm": "እመጣለሁ",
    "move": "ሌላ ጊዜ እፈልጋለሁ",
    "note_label": "የትኞቹ ቀኖችና ሰዓቶች ይመቹዎታል? (ባዶ መተው ይችላሉ።)",
    "confirmed": "እናመሰግናለን። እንደሚመጡ ነግረውናል።",
    "move_requested": "እናመሰግናለን። ሌላ ጊዜ ጠይቀዋል። አዲስ ጊዜ እንልክልዎታለን።",
    "not_booked": "ቀኑንና ሰዓቱን በቅርቡ እንልክልዎታለን።",
    "closed": "ይህ ቀጠሮ ከአሁን በኋላ ክፍት አይደለም።",
    "expired": "የዚህ ማስፈንጠሪያ ጊዜ አልፏል።",
    "invalid": "ይህ ማስፈንጠሪያ ትክክል አይደለም።",
    "call": "ጥያቄ አለዎት? ወደ ሚኒስቴሩ ይደውሉ፦",
    "languages": "ሌሎች ቋንቋዎች",
    "note_too_long": "እባክዎ አጠር ያለ መልእክት ይጻፉ (ቢበዛ 300 ፊደላት)።",
}

TEXTS["ne"] = {
    "title": "तपाईंको भेटघाट",
    "hello": "नमस्ते {name},",
    "intro": "मन्त्रालयमा तपाईंको भेटघाट छ।",
    "date": "मिति",
    "time": "समय",
    "place": "ठाउँ",
    "interpreter_yes": "दोभाषे उपस्थित हुनुहुनेछ।",
    "interpreter_no": "तपाईंलाई दोभाषे चाहिन्छ भने कृपया हामीलाई फोन गर्नुहोस्।",
    "question": "के तपाईं आउन सक्नुहुन्छ?",
    "confirm": "म आउँछु",
    "move": "मलाई अर्को समय चाहिन्छ",
    "note_label": "तपाईंलाई कुन दिन र समय मिल्छ? (खाली छोड्न सक्नुहुन्छ।)",
    "confirmed": "धन्यवाद। तपाईं आउनुहुन्छ भनेर हामीलाई भन्नुभयो।",
    "move_requested": "धन्यवाद। तपाईंले अर्को समय माग्नुभयो। हामी तपाईंलाई नयाँ समय पठाउनेछौं।",
    "not_booked": "हामी तपाईंलाई छिट्टै मिति र समय पठाउनेछौं।",
    "closed": "यो भेटघाट अब खुला छैन।",
    "expired": "यो लिङ्कको म्याद सकिएको छ।",
    "invalid": "यो लिङ्क मान्य छैन।",
    "call": "प्रश्न छ? मन्त्रालयलाई फोन गर्नुहोस्:",
    "languages": "अन्य भाषाहरू",
    "note_too_long": "कृपया छोटो सन्देश लेख्नुहोस् (बढीमा 300 अक्षर)।",
}

TEXTS["si"] = {
    "title": "ඔබේ හමුව",
    "hello": "ආයුබෝවන් {name},",
    "intro": "අමාත්‍යාංශයේ ඔබට හමුවක් තිබේ.",
    "date": "දිනය",
    "time": "වේලාව",
    "place": "ස්ථානය",
    "interpreter_yes": "භාෂා පරිවර්තකයෙක් එහි සිටිනු ඇත.",
    "interpreter_no": "ඔබට භාෂා පරිවර්තකයෙක් අවශ්‍ය නම්, කරුණාකර අපට කතා කරන්න.",
    "question": "ඔබට පැමිණිය හැකි ද?",
    "confirm": "මම එන්නම්",
    "move": "මට වෙනත් වේලාවක් අවශ්‍යයි",
    "note_label": "ඔබට ගැළපෙන දින සහ වේලාවන් මොනවා ද? (මෙය හිස්ව තැබිය හැකි ය.)",
    "confirmed": "ස්තුතියි. ඔබ පැමිණෙන බව අපට කීවා.",
    "move_requested": "ස්තුතියි. ඔබ වෙනත් වේලාවක් ඉල්ලුවා. අපි ඔබට නව වේලාවක් එවන්නෙමු.",
    "not_booked": "අපි ඉක්මනින් ඔබට දිනය සහ වේලාව එවන්නෙමු.",
    "closed": "මෙම හමුව තවදුරටත් විවෘත නැත.",
    "expired": "මෙම සබැඳිය කල් ඉකුත් වී ඇත.",
    "invalid": "මෙම සබැඳිය වලංගු නැත.",
    "call": "ප්‍රශ්න තිබේ ද? අමාත්‍යාංශයට කතා කරන්න:",
    "languages": "වෙනත් භාෂා",
    "note_too_long": "කරුණාකර කෙටි පණිවිඩයක් ලියන්න (අකුරු 300ක් දක්වා).",
}

TEXTS["bn"] = {
    "title": "আপনার সাক্ষাৎ",
    "hello": "প্রিয় {name},",
    "intro": "মন্ত্রণালয়ে আপনার একটি সাক্ষাৎ আছে।",
    "date": "তারিখ",
    "time": "সময়",
    "place": "স্থান",
    "interpreter_yes": "একজন দোভাষী থাকবেন।",
    "interpreter_no": "দোভাষীর প্রয়োজন হলে আমাদের ফোন করুন।",
    "question": "আপনি কি আসতে পারবেন?",
    "confirm": "আমি আসব",
    "move": "আমার অন্য সময় দরকার",
    "note_label": "কোন দিন ও সময় আপনার সুবিধা? (এটি খালি রাখতে পারেন।)",
    "confirmed": "ধন্যবাদ। আপনি জানিয়েছেন যে আপনি আসবেন।",
    "move_requested": "ধন্যবাদ। আপনি অন্য সময় চেয়েছেন। আমরা আপনাকে নতুন সময় পাঠাব।",
    "not_booked": "আমরা শীঘ্রই আপনাকে তারিখ ও সময় পাঠাব।",
    "closed": "এই সাক্ষাৎ আর খোলা নেই।",
    "expired": "এই লিংকের মেয়াদ শেষ হয়ে গেছে।",
    "invalid": "এই লিংকটি বৈধ নয়।",
    "call": "প্রশ্ন আছে? মন্ত্রণালয়ে ফোন করুন:",
    "languages": "অন্যান্য ভাষা",
    "note_too_long": "অনুগ্রহ করে ছোট বার্তা লিখুন (সর্বোচ্চ 300 অক্ষর)।",
}


def language_for(chain: list[str], requested: str = "") -> str:
    """The page's language: the one asked for in the address if the page is written in it,
    else the first of the worker's languages it is written in, else English."""
    requested = (requested or "").strip().lower()
    if requested in TEXTS:
        return requested
    for code in chain:
        code = (code or "").strip().lower()
        code = {"fil": "tl"}.get(code, code)
        if code in TEXTS:
            return code
        base = code.split("-", 1)[0]
        if base in TEXTS:
            return base
    return SOURCE_LANGUAGE


def texts_for(code: str) -> dict[str, str]:
    return TEXTS.get(code, TEXTS[SOURCE_LANGUAGE])
