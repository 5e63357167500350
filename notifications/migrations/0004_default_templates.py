"""Default notice templates: every kind, by SMS and by e-mail, in the languages most workers read.

Plain words and short sentences. An SMS says only what a neutral appointment reminder would:
date, time, place, link and the ministry's number; never trafficking, abuse, a concern, an
interview's content or the employer (DESIGN.md, "Worker safety in messages"). With the sample
values of notifications.templating every SMS fits in two segments. Administrators edit these
texts in the template editor; a row someone already has is never overwritten. Texts other than
English, French and Spanish are first drafts for a native speaker to review.
"""

from django.db import migrations
from django.utils import timezone

from accounts.services import roles_sync_migration

KINDS = (
    "rights_information",
    "registration_confirmation",
    "interview_invitation",
    "reminder",
    "moved",
    "cancelled",
    "missed_appointment",
    "bank_verification_needed",
    "card_expiring",
)

# language -> kind -> (SMS text, e-mail subject, e-mail text)
TEXTS = {}

TEXTS["en"] = {
    "rights_information": (
        "Information from the Ministry, in your language: {{ rights_url }} Questions: {{ ministry_phone }}",
        "Your rights and whom to contact",
        "Dear {{ given_names }},\n\n"
        "Here is information about your rights and obligations as a domestic worker, and whom to contact if you need help, in your language:\n"
        "{{ rights_url }}\n\n"
        "You may contact the Ministry at any time, without asking your employer. What you tell us is not passed on to your employer.",
    ),
    "registration_confirmation": (
        "Thank you for coming to the Ministry. Your registration is complete. Questions: {{ ministry_phone }}",
        "Your registration is complete",
        "Dear {{ given_names }},\n\n"
        "Thank you for coming to the Ministry. Your registration is complete.\n\n"
        "If you have a question or need help, call {{ ministry_phone }}.",
    ),
    "interview_invitation": (
        "The Ministry invites you to an appointment on {{ date }} at {{ time }}, {{ place }}. Please confirm or choose another time: {{ link }}",
        "Your appointment on {{ date }}",
        "Dear {{ given_names }},\n\n"
        "The Ministry invites you to an appointment:\n\n"
        "Date: {{ date }}\nTime: {{ time }}\nPlace: {{ place }}\n\n"
        "Please confirm, or choose another time, here:\n{{ link }}\n\n"
        "An interpreter can be there if you need one. Please bring your passport and your identity card.",
    ),
    "reminder": (
        "Reminder: your appointment at the Ministry is on {{ date }} at {{ time }}, {{ place }}. Details: {{ link }}",
        "Reminder: your appointment on {{ date }}",
        "Dear {{ given_names }},\n\n"
        "This is a reminder of your appointment at the Ministry:\n\n"
        "Date: {{ date }}\nTime: {{ time }}\nPlace: {{ place }}\n\n"
        "Details, or to choose another time:\n{{ link }}",
    ),
    "moved": (
        "Your appointment at the Ministry has moved to {{ date }} at {{ time }}, {{ place }}. Details: {{ link }}",
        "Your appointment has moved",
        "Dear {{ given_names }},\n\n"
        "Your appointment at the Ministry has moved. The new appointment is:\n\n"
        "Date: {{ date }}\nTime: {{ time }}\nPlace: {{ place }}\n\n"
        "If this time does not suit you, choose another one here:\n{{ link }}",
    ),
    "cancelled": (
        "Your appointment at the Ministry on {{ date }} at {{ time }} is cancelled. Details: {{ link }}",
        "Your appointment on {{ date }} is cancelled",
        "Dear {{ given_names }},\n\n"
        "Your appointment at the Ministry on {{ date }} at {{ time }} is cancelled.\n\n"
        "Details:\n{{ link }}",
    ),
    "missed_appointment": (
        "We did not see you at your appointment at the Ministry. Please choose a new time: {{ link }} or call {{ ministry_phone }}",
        "We missed you at your appointment",
        "Dear {{ given_names }},\n\n"
        "We did not see you at your appointment at the Ministry. Please choose a new time here:\n{{ link }}\n\n"
        "Or call us on {{ ministry_phone }}.",
    ),
    "bank_verification_needed": (
        "Please bring a letter or a recent statement from your bank to {{ place }} before {{ date }}. Questions: {{ ministry_phone }}",
        "Please bring your bank documents",
        "Dear {{ given_names }},\n\n"
        "Your salary must be paid into a bank account in your name only. Please bring a letter or a recent statement from your bank to {{ place }} before {{ date }}.\n\n"
        "Questions: {{ ministry_phone }}",
    ),
    "card_expiring": (
        "Your identity card expires on {{ date }}. Please come to {{ place }} to renew it. Questions: {{ ministry_phone }}",
        "Your identity card expires on {{ date }}",
        "Dear {{ given_names }},\n\n"
        "Your identity card expires on {{ date }}. To renew it, please come to {{ place }} with your passport and your card.\n\n"
        "Questions: {{ ministry_phone }}",
    ),
}

TEXTS["fr"] = {
    "rights_information": (
        "Informations du Ministère dans votre langue : {{ rights_url }} Questions : {{ ministry_phone }}",
        "Vos droits et qui contacter",
        "Bonjour {{ given_names }},\n\n"
        "Voici, dans votre langue, des informations sur vos droits et vos obligations de travailleur ou travailleuse domestique, et sur les personnes à contacter si vous avez besoin d'aide :\n"
        "{{ rights_url }}\n\n"
        "Vous pouvez contacter le Ministère à tout moment, sans demander l'accord de votre employeur. Ce que vous nous dites n'est pas transmis à votre employeur.",
    ),
    "registration_confirmation": (
        "Merci de votre visite au Ministère. Votre enregistrement est terminé. Questions : {{ ministry_phone }}",
        "Votre enregistrement est terminé",
        "Bonjour {{ given_names }},\n\n"
        "Merci de votre visite au Ministère. Votre enregistrement est terminé.\n\n"
        "Si vous avez une question ou besoin d'aide, appelez le {{ ministry_phone }}.",
    ),
    "interview_invitation": (
        "Le Ministère vous invite à un rendez-vous le {{ date }} à {{ time }}, {{ place }}. Confirmez ou choisissez une autre heure : {{ link }}",
        "Votre rendez-vous du {{ date }}",
        "Bonjour {{ given_names }},\n\n"
        "Le Ministère vous invite à un rendez-vous :\n\n"
        "Date : {{ date }}\nHeure : {{ time }}\nLieu : {{ place }}\n\n"
        "Merci de confirmer, ou de choisir une autre heure, ici :\n{{ link }}\n\n"
        "Un interprète peut être présent si vous en avez besoin. Apportez votre passeport et votre carte d'identité.",
    ),
    "reminder": (
        "Rappel : votre rendez-vous au Ministère est le {{ date }} à {{ time }}, {{ place }}. Détails : {{ link }}",
        "Rappel : votre rendez-vous du {{ date }}",
        "Bonjour {{ given_names }},\n\n"
        "Nous vous rappelons votre rendez-vous au Ministère :\n\n"
        "Date : {{ date }}\nHeure : {{ time }}\nLieu : {{ place }}\n\n"
        "Détails, ou pour choisir une autre heure :\n{{ link }}",
    ),
    "moved": (
        "Votre rendez-vous au Ministère est déplacé au {{ date }} à {{ time }}, {{ place }}. Détails : {{ link }}",
        "Votre rendez-vous a été déplacé",
        "Bonjour {{ given_names }},\n\n"
        "Votre rendez-vous au Ministère a été déplacé. Le nouveau rendez-vous :\n\n"
        "Date : {{ date }}\nHeure : {{ time }}\nLieu : {{ place }}\n\n"
        "Si cette heure ne vous convient pas, choisissez-en une autre ici :\n{{ link }}",
    ),
    "cancelled": (
        "Votre rendez-vous au Ministère du {{ date }} à {{ time }} est annulé. Détails : {{ link }}",
        "Votre rendez-vous du {{ date }} est annulé",
        "Bonjour {{ given_names }},\n\n"
        "Votre rendez-vous au Ministère du {{ date }} à {{ time }} est annulé.\n\n"
        "Détails :\n{{ link }}",
    ),
    "missed_appointment": (
        "Vous avez manqué votre rendez-vous au Ministère. Choisissez une nouvelle heure : {{ link }} ou appelez le {{ ministry_phone }}",
        "Vous avez manqué votre rendez-vous",
        "Bonjour {{ given_names }},\n\n"
        "Vous avez manqué votre rendez-vous au Ministère. Choisissez une nouvelle heure ici :\n{{ link }}\n\n"
        "Ou appelez-nous au {{ ministry_phone }}.",
    ),
    "bank_verification_needed": (
        "Merci d'apporter une lettre ou un relevé récent de votre banque à {{ place }} avant le {{ date }}. Questions : {{ ministry_phone }}",
        "Merci d'apporter vos documents bancaires",
        "Bonjour {{ given_names }},\n\n"
        "Votre salaire doit être versé sur un compte bancaire à votre seul nom. Merci d'apporter une lettre ou un relevé récent de votre banque à {{ place }} avant le {{ date }}.\n\n"
        "Questions : {{ ministry_phone }}",
    ),
    "card_expiring": (
        "Votre carte d'identité expire le {{ date }}. Venez à {{ place }} pour la renouveler. Questions : {{ ministry_phone }}",
        "Votre carte d'identité expire le {{ date }}",
        "Bonjour {{ given_names }},\n\n"
        "Votre carte d'identité expire le {{ date }}. Pour la renouveler, venez à {{ place }} avec votre passeport et votre carte.\n\n"
        "Questions : {{ ministry_phone }}",
    ),
}

TEXTS["es"] = {
    "rights_information": (
        "Información del Ministerio en su idioma: {{ rights_url }} Preguntas: {{ ministry_phone }}",
        "Sus derechos y a quién contactar",
        "Hola, {{ given_names }}:\n\n"
        "Aquí tiene, en su idioma, información sobre sus derechos y obligaciones como trabajador o trabajadora del hogar, y sobre a quién contactar si necesita ayuda:\n"
        "{{ rights_url }}\n\n"
        "Puede contactar con el Ministerio en cualquier momento, sin pedir permiso a su empleador. Lo que nos cuente no se comunica a su empleador.",
    ),
    "registration_confirmation": (
        "Gracias por su visita al Ministerio. Su registro está completo. Preguntas: {{ ministry_phone }}",
        "Su registro está completo",
        "Hola, {{ given_names }}:\n\n"
        "Gracias por su visita al Ministerio. Su registro está completo.\n\n"
        "Si tiene alguna pregunta o necesita ayuda, llame al {{ ministry_phone }}.",
    ),
    "interview_invitation": (
        "El Ministerio le cita el {{ date }} a las {{ time }}, {{ place }}. Confirme o elija otra hora: {{ link }}",
        "Su cita del {{ date }}",
        "Hola, {{ given_names }}:\n\n"
        "El Ministerio le invita a una cita:\n\n"
        "Fecha: {{ date }}\nHora: {{ time }}\nLugar: {{ place }}\n\n"
        "Confirme la cita, o elija otra hora, aquí:\n{{ link }}\n\n"
        "Puede haber un intérprete si lo necesita. Traiga su pasaporte y su tarjeta de identidad.",
    ),
    "reminder": (
        "Recordatorio: su cita en el Ministerio es el {{ date }} a las {{ time }}, {{ place }}. Detalles: {{ link }}",
        "Recordatorio: su cita del {{ date }}",
        "Hola, {{ given_names }}:\n\n"
        "Le recordamos su cita en el Ministerio:\n\n"
        "Fecha: {{ date }}\nHora: {{ time }}\nLugar: {{ place }}\n\n"
        "Detalles, o para elegir otra hora:\n{{ link }}",
    ),
    "moved": (
        "Su cita en el Ministerio cambia al {{ date }} a las {{ time }}, {{ place }}. Detalles: {{ link }}",
        "Su cita ha cambiado",
        "Hola, {{ given_names }}:\n\n"
        "Su cita en el Ministerio ha cambiado. La nueva cita es:\n\n"
        "Fecha: {{ date }}\nHora: {{ time }}\nLugar: {{ place }}\n\n"
        "Si esta hora no le conviene, elija otra aquí:\n{{ link }}",
    ),
    "cancelled": (
        "Su cita en el Ministerio del {{ date }} a las {{ time }} queda cancelada. Detalles: {{ link }}",
        "Su cita del {{ date }} queda cancelada",
        "Hola, {{ given_names }}:\n\n"
        "Su cita en el Ministerio del {{ date }} a las {{ time }} queda cancelada.\n\n"
        "Detalles:\n{{ link }}",
    ),
    "missed_appointment": (
        "No le vimos en su cita en el Ministerio. Elija una nueva hora: {{ link }} o llame al {{ ministry_phone }}",
        "No le vimos en su cita",
        "Hola, {{ given_names }}:\n\n"
        "No le vimos en su cita en el Ministerio. Elija una nueva hora aquí:\n{{ link }}\n\n"
        "O llámenos al {{ ministry_phone }}.",
    ),
    "bank_verification_needed": (
        "Traiga una carta o un extracto reciente de su banco a {{ place }} antes del {{ date }}. Preguntas: {{ ministry_phone }}",
        "Traiga sus documentos del banco",
        "Hola, {{ given_names }}:\n\n"
        "Su salario debe pagarse en una cuenta bancaria solo a su nombre. Traiga una carta o un extracto reciente de su banco a {{ place }} antes del {{ date }}.\n\n"
        "Preguntas: {{ ministry_phone }}",
    ),
    "card_expiring": (
        "Su tarjeta de identidad caduca el {{ date }}. Venga a {{ place }} para renovarla. Preguntas: {{ ministry_phone }}",
        "Su tarjeta de identidad caduca el {{ date }}",
        "Hola, {{ given_names }}:\n\n"
        "Su tarjeta de identidad caduca el {{ date }}. Para renovarla, venga a {{ place }} con su pasaporte y su tarjeta.\n\n"
        "Preguntas: {{ ministry_phone }}",
    ),
}

TEXTS["ar"] = {
    "rights_information": (
        "معلومات من الوزارة بلغتك: {{ rights_url }} للاستفسار: {{ ministry_phone }}",
        "حقوقك ومن يمكنك الاتصال به",
        "مرحباً {{ given_names }}،\n\n"
        "إليك معلومات بلغتك عن حقوقك وواجباتك في العمل المنزلي، وعن الجهات التي يمكنك الاتصال بها إذا احتجت إلى المساعدة:\n"
        "{{ rights_url }}\n\n"
        "يمكنك الاتصال بالوزارة في أي وقت، دون استئذان صاحب العمل. ما تقوله لنا لا يُنقل إلى صاحب العمل.",
    ),
    "registration_confirmation": (
        "شكراً لحضورك إلى الوزارة. اكتمل تسجيلك. للاستفسار: {{ ministry_phone }}",
        "اكتمل تسجيلك",
        "مرحباً {{ given_names }}،\n\n"
        "شكراً لحضورك إلى الوزارة. اكتمل تسجيلك.\n\n"
        "إذا كان لديك سؤال أو احتجت إلى المساعدة، يرجى الاتصال بالرقم {{ ministry_phone }}.",
    ),
    "interview_invitation": (
        "موعدك: {{ date }}، {{ time }}، {{ place }}. للتأكيد أو التغيير: {{ link }}",
        "موعدك يوم {{ date }}",
        "مرحباً {{ given_names }}،\n\n"
        "تدعوك الوزارة إلى موعد:\n\n"
        "التاريخ: {{ date }}\nالساعة: {{ time }}\nالمكان: {{ place }}\n\n"
        "يرجى تأكيد الموعد أو اختيار وقت آخر هنا:\n{{ link }}\n\n"
        "يمكن توفير مترجم إذا احتجت إليه. يرجى إحضار جواز سفرك وبطاقة هويتك.",
    ),
    "reminder": (
        "تذكير بموعدك: {{ date }}، {{ time }}، {{ place }}. التفاصيل: {{ link }}",
        "تذكير: موعدك يوم {{ date }}",
        "مرحباً {{ given_names }}،\n\n"
        "نذكّرك بموعدك في الوزارة:\n\n"
        "التاريخ: {{ date }}\nالساعة: {{ time }}\nالمكان: {{ place }}\n\n"
        "للتفاصيل أو لاختيار وقت آخر:\n{{ link }}",
    ),
    "moved": (
        "تغيّر موعدك إلى {{ date }}، {{ time }}، {{ place }}. التفاصيل: {{ link }}",
        "تغيّر موعدك",
        "مرحباً {{ given_names }}،\n\n"
        "تغيّر موعدك في الوزارة. الموعد الجديد:\n\n"
        "التاريخ: {{ date }}\nالساعة: {{ time }}\nالمكان: {{ place }}\n\n"
        "إذا لم يناسبك هذا الوقت، يمكنك اختيار وقت آخر هنا:\n{{ link }}",
    ),
    "cancelled": (
        "أُلغي موعدك يوم {{ date }} الساعة {{ time }}. التفاصيل: {{ link }}",
        "أُلغي موعدك يوم {{ date }}",
        "مرحباً {{ given_names }}،\n\n"
        "أُلغي موعدك في الوزارة يوم {{ date }} الساعة {{ time }}.\n\n"
        "التفاصيل:\n{{ link }}",
    ),
    "missed_appointment": (
        "فاتك موعدك في الوزارة. يرجى اختيار موعد جديد: {{ link }} أو الاتصال بالرقم {{ ministry_phone }}",
        "فاتك موعدك",
        "مرحباً {{ given_names }}،\n\n"
        "فاتك موعدك في الوزارة. يرجى اختيار موعد جديد هنا:\n{{ link }}\n\n"
        "أو الاتصال بنا على الرقم {{ ministry_phone }}.",
    ),
    "bank_verification_needed": (
        "يرجى إحضار رسالة أو كشف حساب حديث من مصرفك إلى {{ place }} قبل {{ date }}. للاستفسار: {{ ministry_phone }}",
        "يرجى إحضار مستندات حسابك المصرفي",
        "مرحباً {{ given_names }}،\n\n"
        "يجب أن يُدفع راتبك في حساب مصرفي باسمك وحدك. يرجى إحضار رسالة أو كشف حساب حديث من مصرفك إلى {{ place }} قبل {{ date }}.\n\n"
        "للاستفسار: {{ ministry_phone }}",
    ),
    "card_expiring": (
        "تنتهي صلاحية بطاقة هويتك في {{ date }}. يرجى الحضور إلى {{ place }} لتجديدها. للاستفسار: {{ ministry_phone }}",
        "تنتهي صلاحية بطاقة هويتك في {{ date }}",
        "مرحباً {{ given_names }}،\n\n"
        "تنتهي صلاحية بطاقة هويتك في {{ date }}. لتجديدها، يرجى الحضور إلى {{ place }} ومعك جواز سفرك وبطاقتك.\n\n"
        "للاستفسار: {{ ministry_phone }}",
    ),
}

TEXTS["tl"] = {
    "rights_information": (
        "Impormasyon mula sa Ministeryo sa iyong wika: {{ rights_url }} Mga tanong: {{ ministry_phone }}",
        "Ang iyong mga karapatan at kung sino ang tatawagan",
        "Magandang araw, {{ given_names }},\n\n"
        "Narito, sa iyong wika, ang impormasyon tungkol sa iyong mga karapatan at tungkulin bilang kasambahay, at kung sino ang tatawagan kung kailangan mo ng tulong:\n"
        "{{ rights_url }}\n\n"
        "Maaari mong tawagan ang Ministeryo anumang oras, nang hindi nagpapaalam sa iyong amo. Ang sinasabi mo sa amin ay hindi ipinapaalam sa iyong amo.",
    ),
    "registration_confirmation": (
        "Salamat sa pagpunta sa Ministeryo. Tapos na ang iyong rehistro. Mga tanong: {{ ministry_phone }}",
        "Tapos na ang iyong rehistro",
        "Magandang araw, {{ given_names }},\n\n"
        "Salamat sa pagpunta sa Ministeryo. Tapos na ang iyong rehistro.\n\n"
        "Kung may tanong ka o kailangan mo ng tulong, tumawag sa {{ ministry_phone }}.",
    ),
    "interview_invitation": (
        "May appointment ka sa Ministeryo sa {{ date }}, {{ time }}, {{ place }}. Kumpirmahin o pumili ng ibang oras: {{ link }}",
        "Ang iyong appointment sa {{ date }}",
        "Magandang araw, {{ given_names }},\n\n"
        "Inaanyayahan ka ng Ministeryo sa isang appointment:\n\n"
        "Petsa: {{ date }}\nOras: {{ time }}\nLugar: {{ place }}\n\n"
        "Pakikumpirma, o pumili ng ibang oras, dito:\n{{ link }}\n\n"
        "Maaaring may interpreter kung kailangan mo. Dalhin ang iyong pasaporte at ID card.",
    ),
    "reminder": (
        "Paalala: ang appointment mo sa Ministeryo ay sa {{ date }}, {{ time }}, {{ place }}. Detalye: {{ link }}",
        "Paalala: ang iyong appointment sa {{ date }}",
        "Magandang araw, {{ given_names }},\n\n"
        "Paalala ito ng iyong appointment sa Ministeryo:\n\n"
        "Petsa: {{ date }}\nOras: {{ time }}\nLugar: {{ place }}\n\n"
        "Para sa detalye, o para pumili ng ibang oras:\n{{ link }}",
    ),
    "moved": (
        "Inilipat ang appointment mo sa Ministeryo sa {{ date }}, {{ time }}, {{ place }}. Detalye: {{ link }}",
        "Inilipat ang iyong appointment",
        "Magandang araw, {{ given_names }},\n\n"
        "Inilipat ang iyong appointment sa Ministeryo. Ang bagong appointment:\n\n"
        "Petsa: {{ date }}\nOras: {{ time }}\nLugar: {{ place }}\n\n"
        "Kung hindi ka puwede sa oras na ito, pumili ng iba dito:\n{{ link }}",
    ),
    "cancelled": (
        "Kinansela ang appointment mo sa Ministeryo sa {{ date }}, {{ time }}. Detalye: {{ link }}",
        "Kinansela ang iyong appointment sa {{ date }}",
        "Magandang araw, {{ given_names }},\n\n"
        "Kinansela ang iyong appointment sa Ministeryo sa {{ date }}, {{ time }}.\n\n"
        "Detalye:\n{{ link }}",
    ),
    "missed_appointment": (
        "Hindi ka namin nakita sa iyong appointment sa Ministeryo. Pumili ng bagong oras: {{ link }} o tumawag sa {{ ministry_phone }}",
        "Hindi ka namin nakita sa iyong appointment",
        "Magandang araw, {{ given_names }},\n\n"
        "Hindi ka namin nakita sa iyong appointment sa Ministeryo. Pumili ng bagong oras dito:\n{{ link }}\n\n"
        "O tumawag sa amin sa {{ ministry_phone }}.",
    ),
    "bank_verification_needed": (
        "Pakidala ang sulat o bagong statement mula sa iyong bangko sa {{ place }} bago ang {{ date }}. Mga tanong: {{ ministry_phone }}",
        "Pakidala ang mga dokumento ng iyong bangko",
        "Magandang araw, {{ given_names }},\n\n"
        "Dapat ibayad ang iyong sahod sa bank account na nasa pangalan mo lamang. Pakidala ang sulat o bagong statement mula sa iyong bangko sa {{ place }} bago ang {{ date }}.\n\n"
        "Mga tanong: {{ ministry_phone }}",
    ),
    "card_expiring": (
        "Mag-e-expire ang iyong ID card sa {{ date }}. Pumunta sa {{ place }} para i-renew ito. Mga tanong: {{ ministry_phone }}",
        "Mag-e-expire ang iyong ID card sa {{ date }}",
        "Magandang araw, {{ given_names }},\n\n"
        "Mag-e-expire ang iyong ID card sa {{ date }}. Para i-renew ito, pumunta sa {{ place }} dala ang iyong pasaporte at ID card.\n\n"
        "Mga tanong: {{ ministry_phone }}",
    ),
}

TEXTS["id"] = {
    "rights_information": (
        "Informasi dari Kementerian dalam bahasa Anda: {{ rights_url }} Pertanyaan: {{ ministry_phone }}",
        "Hak Anda dan siapa yang dapat dihubungi",
        "Halo {{ given_names }},\n\n"
        "Berikut informasi dalam bahasa Anda tentang hak dan kewajiban Anda sebagai pekerja rumah tangga, dan siapa yang dapat dihubungi jika Anda memerlukan bantuan:\n"
        "{{ rights_url }}\n\n"
        "Anda dapat menghubungi Kementerian kapan saja, tanpa izin majikan Anda. Apa yang Anda sampaikan kepada kami tidak diteruskan kepada majikan Anda.",
    ),
    "registration_confirmation": (
        "Terima kasih telah datang ke Kementerian. Pendaftaran Anda selesai. Pertanyaan: {{ ministry_phone }}",
        "Pendaftaran Anda selesai",
        "Halo {{ given_names }},\n\n"
        "Terima kasih telah datang ke Kementerian. Pendaftaran Anda selesai.\n\n"
        "Jika Anda punya pertanyaan atau memerlukan bantuan, telepon {{ ministry_phone }}.",
    ),
    "interview_invitation": (
        "Anda punya janji temu di Kementerian pada {{ date }} pukul {{ time }}, {{ place }}. Konfirmasi atau pilih waktu lain: {{ link }}",
        "Janji temu Anda pada {{ date }}",
        "Halo {{ given_names }},\n\n"
        "Kementerian mengundang Anda ke janji temu:\n\n"
        "Tanggal: {{ date }}\nJam: {{ time }}\nTempat: {{ place }}\n\n"
        "Mohon konfirmasi, atau pilih waktu lain, di sini:\n{{ link }}\n\n"
        "Penerjemah dapat hadir jika Anda memerlukannya. Bawalah paspor dan kartu identitas Anda.",
    ),
    "reminder": (
        "Pengingat: janji temu Anda di Kementerian pada {{ date }} pukul {{ time }}, {{ place }}. Rincian: {{ link }}",
        "Pengingat: janji temu Anda pada {{ date }}",
        "Halo {{ given_names }},\n\n"
        "Ini pengingat janji temu Anda di Kementerian:\n\n"
        "Tanggal: {{ date }}\nJam: {{ time }}\nTempat: {{ place }}\n\n"
        "Rincian, atau untuk memilih waktu lain:\n{{ link }}",
    ),
    "moved": (
        "Janji temu Anda di Kementerian dipindah ke {{ date }} pukul {{ time }}, {{ place }}. Rincian: {{ link }}",
        "Janji temu Anda dipindah",
        "Halo {{ given_names }},\n\n"
        "Janji temu Anda di Kementerian dipindah. Janji temu yang baru:\n\n"
        "Tanggal: {{ date }}\nJam: {{ time }}\nTempat: {{ place }}\n\n"
        "Jika waktu ini tidak cocok, pilih waktu lain di sini:\n{{ link }}",
    ),
    "cancelled": (
        "Janji temu Anda di Kementerian pada {{ date }} pukul {{ time }} dibatalkan. Rincian: {{ link }}",
        "Janji temu Anda pada {{ date }} dibatalkan",
        "Halo {{ given_names }},\n\n"
        "Janji temu Anda di Kementerian pada {{ date }} pukul {{ time }} dibatalkan.\n\n"
        "Rincian:\n{{ link }}",
    ),
    "missed_appointment": (
        "Anda tidak datang ke janji temu di Kementerian. Pilih waktu baru: {{ link }} atau telepon {{ ministry_phone }}",
        "Anda tidak datang ke janji temu",
        "Halo {{ given_names }},\n\n"
        "Anda tidak datang ke janji temu di Kementerian. Pilih waktu baru di sini:\n{{ link }}\n\n"
        "Atau telepon kami di {{ ministry_phone }}.",
    ),
    "bank_verification_needed": (
        "Mohon bawa surat atau rekening koran terbaru dari bank Anda ke {{ place }} sebelum {{ date }}. Pertanyaan: {{ ministry_phone }}",
        "Mohon bawa dokumen bank Anda",
        "Halo {{ given_names }},\n\n"
        "Gaji Anda harus dibayar ke rekening bank atas nama Anda sendiri. Mohon bawa surat atau rekening koran terbaru dari bank Anda ke {{ place }} sebelum {{ date }}.\n\n"
        "Pertanyaan: {{ ministry_phone }}",
    ),
    "card_expiring": (
        "Kartu identitas Anda berlaku sampai {{ date }}. Datanglah ke {{ place }} untuk memperpanjangnya. Pertanyaan: {{ ministry_phone }}",
        "Kartu identitas Anda berlaku sampai {{ date }}",
        "Halo {{ given_names }},\n\n"
        "Kartu identitas Anda berlaku sampai {{ date }}. Untuk memperpanjangnya, datanglah ke {{ place }} dengan membawa paspor dan kartu Anda.\n\n"
        "Pertanyaan: {{ ministry_phone }}",
    ),
}

TEXTS["sw"] = {
    "rights_information": (
        "Taarifa kutoka Wizara kwa lugha yako: {{ rights_url }} Maswali: {{ ministry_phone }}",
        "Haki zako na nani wa kuwasiliana naye",
        "Habari {{ given_names }},\n\n"
        "Haya ni maelezo kwa lugha yako kuhusu haki na wajibu wako kama mfanyakazi wa nyumbani, na nani wa kuwasiliana naye ukihitaji msaada:\n"
        "{{ rights_url }}\n\n"
        "Unaweza kuwasiliana na Wizara wakati wowote, bila ruhusa ya mwajiri wako. Unachotuambia hakitaelezwa kwa mwajiri wako.",
    ),
    "registration_confirmation": (
        "Asante kwa kuja Wizarani. Usajili wako umekamilika. Maswali: {{ ministry_phone }}",
        "Usajili wako umekamilika",
        "Habari {{ given_names }},\n\n"
        "Asante kwa kuja Wizarani. Usajili wako umekamilika.\n\n"
        "Ukiwa na swali au ukihitaji msaada, piga simu {{ ministry_phone }}.",
    ),
    "interview_invitation": (
        "Una miadi Wizarani: {{ date }}, {{ time }}, {{ place }}. Thibitisha au chagua muda mwingine: {{ link }}",
        "Miadi yako ya {{ date }}",
        "Habari {{ given_names }},\n\n"
        "Wizara inakualika kwenye miadi:\n\n"
        "Tarehe: {{ date }}\nMuda: {{ time }}\nMahali: {{ place }}\n\n"
        "Tafadhali thibitisha, au chagua muda mwingine, hapa:\n{{ link }}\n\n"
        "Mkalimani anaweza kuwepo ukihitaji. Tafadhali leta pasipoti yako na kitambulisho chako.",
    ),
    "reminder": (
        "Kumbusho: miadi yako Wizarani ni {{ date }}, {{ time }}, {{ place }}. Maelezo: {{ link }}",
        "Kumbusho: miadi yako ya {{ date }}",
        "Habari {{ given_names }},\n\n"
        "Hiki ni kumbusho la miadi yako Wizarani:\n\n"
        "Tarehe: {{ date }}\nMuda: {{ time }}\nMahali: {{ place }}\n\n"
        "Maelezo, au kuchagua muda mwingine:\n{{ link }}",
    ),
    "moved": (
        "Miadi yako Wizarani imehamishwa hadi {{ date }}, {{ time }}, {{ place }}. Maelezo: {{ link }}",
        "Miadi yako imehamishwa",
        "Habari {{ given_names }},\n\n"
        "Miadi yako Wizarani imehamishwa. Miadi mpya:\n\n"
        "Tarehe: {{ date }}\nMuda: {{ time }}\nMahali: {{ place }}\n\n"
        "Ikiwa muda huu haukufai, chagua mwingine hapa:\n{{ link }}",
    ),
    "cancelled": (
        "Miadi yako Wizarani ya {{ date }}, {{ time }} imefutwa. Maelezo: {{ link }}",
        "Miadi yako ya {{ date }} imefutwa",
        "Habari {{ given_names }},\n\n"
        "Miadi yako Wizarani ya {{ date }}, {{ time }} imefutwa.\n\n"
        "Maelezo:\n{{ link }}",
    ),
    "missed_appointment": (
        "Hukufika kwenye miadi yako Wizarani. Chagua muda mpya: {{ link }} au piga simu {{ ministry_phone }}",
        "Hukufika kwenye miadi yako",
        "Habari {{ given_names }},\n\n"
        "Hukufika kwenye miadi yako Wizarani. Chagua muda mpya hapa:\n{{ link }}\n\n"
        "Au tupigie simu {{ ministry_phone }}.",
    ),
    "bank_verification_needed": (
        "Tafadhali leta barua au taarifa mpya ya benki yako kwa {{ place }} kabla ya {{ date }}. Maswali: {{ ministry_phone }}",
        "Tafadhali leta hati za benki yako",
        "Habari {{ given_names }},\n\n"
        "Mshahara wako lazima ulipwe kwenye akaunti ya benki iliyo kwa jina lako peke yako. Tafadhali leta barua au taarifa mpya ya benki yako kwa {{ place }} kabla ya {{ date }}.\n\n"
        "Maswali: {{ ministry_phone }}",
    ),
    "card_expiring": (
        "Kitambulisho chako kinaisha muda tarehe {{ date }}. Tafadhali njoo {{ place }} ili kukifanya upya. Maswali: {{ ministry_phone }}",
        "Kitambulisho chako kinaisha muda tarehe {{ date }}",
        "Habari {{ given_names }},\n\n"
        "Kitambulisho chako kinaisha muda tarehe {{ date }}. Ili kukifanya upya, njoo {{ place }} na pasipoti yako na kitambulisho chako.\n\n"
        "Maswali: {{ ministry_phone }}",
    ),
}

TEXTS["vi"] = {
    "rights_information": (
        "Thông tin từ Bộ bằng ngôn ngữ của bạn: {{ rights_url }} Hỏi đáp: {{ ministry_phone }}",
        "Quyền của bạn và nơi liên hệ",
        "Chào {{ given_names }},\n\n"
        "Đây là thông tin bằng ngôn ngữ của bạn về quyền và nghĩa vụ của người giúp việc gia đình, và nơi liên hệ khi bạn cần giúp đỡ:\n"
        "{{ rights_url }}\n\n"
        "Bạn có thể liên hệ với Bộ bất cứ lúc nào, không cần xin phép người sử dụng lao động. Những gì bạn nói với chúng tôi không được chuyển cho người sử dụng lao động.",
    ),
    "registration_confirmation": (
        "Cảm ơn bạn đã đến Bộ. Bạn đã đăng ký xong. Hỏi đáp: {{ ministry_phone }}",
        "Bạn đã đăng ký xong",
        "Chào {{ given_names }},\n\n"
        "Cảm ơn bạn đã đến Bộ. Bạn đã đăng ký xong.\n\n"
        "Nếu bạn có câu hỏi hoặc cần giúp đỡ, hãy gọi {{ ministry_phone }}.",
    ),
    "interview_invitation": (
        "Hẹn tại Bộ: {{ date }} {{ time }}, {{ place }}. Xác nhận: {{ link }}",
        "Lịch hẹn của bạn: {{ date }}",
        "Chào {{ given_names }},\n\n"
        "Bộ mời bạn đến một buổi hẹn:\n\n"
        "Ngày: {{ date }}\nGiờ: {{ time }}\nĐịa điểm: {{ place }}\n\n"
        "Vui lòng xác nhận, hoặc chọn giờ khác, tại đây:\n{{ link }}\n\n"
        "Có thể có phiên dịch nếu bạn cần. Vui lòng mang theo hộ chiếu và thẻ của bạn.",
    ),
    "reminder": (
        "Nhắc hẹn tại Bộ: {{ date }} {{ time }}, {{ place }}. Chi tiết: {{ link }}",
        "Nhắc lịch hẹn: {{ date }}",
        "Chào {{ given_names }},\n\n"
        "Đây là lời nhắc về lịch hẹn của bạn tại Bộ:\n\n"
        "Ngày: {{ date }}\nGiờ: {{ time }}\nĐịa điểm: {{ place }}\n\n"
        "Chi tiết, hoặc để chọn giờ khác:\n{{ link }}",
    ),
    "moved": (
        "Lịch hẹn đổi sang {{ date }} {{ time }}, {{ place }}. Chi tiết: {{ link }}",
        "Lịch hẹn của bạn đã thay đổi",
        "Chào {{ given_names }},\n\n"
        "Lịch hẹn của bạn tại Bộ đã thay đổi. Lịch hẹn mới:\n\n"
        "Ngày: {{ date }}\nGiờ: {{ time }}\nĐịa điểm: {{ place }}\n\n"
        "Nếu giờ này không phù hợp, hãy chọn giờ khác tại đây:\n{{ link }}",
    ),
    "cancelled": (
        "Lịch hẹn tại Bộ {{ date }} lúc {{ time }} đã bị hủy. Chi tiết: {{ link }}",
        "Lịch hẹn {{ date }} đã bị hủy",
        "Chào {{ given_names }},\n\n"
        "Lịch hẹn của bạn tại Bộ {{ date }} lúc {{ time }} đã bị hủy.\n\n"
        "Chi tiết:\n{{ link }}",
    ),
    "missed_appointment": (
        "Bạn đã lỡ lịch hẹn tại Bộ. Chọn giờ mới: {{ link }} hoặc gọi {{ ministry_phone }}",
        "Bạn đã lỡ lịch hẹn",
        "Chào {{ given_names }},\n\n"
        "Bạn đã lỡ lịch hẹn tại Bộ. Hãy chọn giờ mới tại đây:\n{{ link }}\n\n"
        "Hoặc gọi cho chúng tôi: {{ ministry_phone }}.",
    ),
    "bank_verification_needed": (
        "Vui lòng mang thư hoặc sao kê ngân hàng đến {{ place }} trước {{ date }}. Hỏi: {{ ministry_phone }}",
        "Vui lòng mang giấy tờ ngân hàng",
        "Chào {{ given_names }},\n\n"
        "Lương của bạn phải được trả vào tài khoản ngân hàng chỉ đứng tên bạn. Vui lòng mang thư hoặc sao kê mới của ngân hàng đến {{ place }} trước {{ date }}.\n\n"
        "Hỏi đáp: {{ ministry_phone }}",
    ),
    "card_expiring": (
        "Thẻ của bạn hết hạn {{ date }}. Vui lòng đến {{ place }} để gia hạn. Hỏi: {{ ministry_phone }}",
        "Thẻ của bạn hết hạn: {{ date }}",
        "Chào {{ given_names }},\n\n"
        "Thẻ của bạn hết hạn {{ date }}. Để gia hạn, vui lòng đến {{ place }} cùng hộ chiếu và thẻ của bạn.\n\n"
        "Hỏi đáp: {{ ministry_phone }}",
    ),
}

TEXTS["am"] = {
    "rights_information": (
        "ከሚኒስቴሩ በቋንቋዎ የተዘጋጀ መረጃ: {{ rights_url }} ጥያቄ: {{ ministry_phone }}",
        "መብቶችዎ እና ማንን ማግኘት እንደሚችሉ",
        "ሰላም {{ given_names }}፣\n\n"
        "እንደ የቤት ሠራተኛ ስላሉዎት መብቶችና ግዴታዎች፣ እንዲሁም እርዳታ ሲያስፈልግዎ ማንን ማግኘት እንደሚችሉ በቋንቋዎ የተዘጋጀ መረጃ ይኸውና:\n"
        "{{ rights_url }}\n\n"
        "አሠሪዎን ሳያስፈቅዱ በማንኛውም ጊዜ ሚኒስቴሩን ማግኘት ይችላሉ። ለእኛ የሚነግሩን ነገር ለአሠሪዎ አይነገርም።",
    ),
    "registration_confirmation": (
        "ወደ ሚኒስቴሩ ስለመጡ እናመሰግናለን። ምዝገባዎ ተጠናቋል። ጥያቄ: {{ ministry_phone }}",
        "ምዝገባዎ ተጠናቋል",
        "ሰላም {{ given_names }}፣\n\n"
        "ወደ ሚኒስቴሩ ስለመጡ እናመሰግናለን። ምዝገባዎ ተጠናቋል።\n\n"
        "ጥያቄ ካለዎት ወይም እርዳታ ከፈለጉ {{ ministry_phone }} ይደውሉ።",
    ),
    "interview_invitation": (
        "በሚኒስቴሩ ቀጠሮ አለዎት: {{ date }}, {{ time }}, {{ place }}። ለማረጋገጥ ወይም ለመቀየር: {{ link }}",
        "የ{{ date }} ቀጠሮዎ",
        "ሰላም {{ given_names }}፣\n\n"
        "ሚኒስቴሩ ለቀጠሮ ይጋብዝዎታል:\n\n"
        "ቀን: {{ date }}\nሰዓት: {{ time }}\nቦታ: {{ place }}\n\n"
        "እባክዎ ቀጠሮውን እዚህ ያረጋግጡ ወይም ሌላ ጊዜ ይምረጡ:\n{{ link }}\n\n"
        "ካስፈለገዎት አስተርጓሚ ሊኖር ይችላል። እባክዎ ፓስፖርትዎን እና መታወቂያ ካርድዎን ይዘው ይምጡ።",
    ),
    "reminder": (
        "ማስታወሻ: ቀጠሮዎ {{ date }}, {{ time }}, {{ place }} ነው። ዝርዝር: {{ link }}",
        "ማስታወሻ: የ{{ date }} ቀጠሮዎ",
        "ሰላም {{ given_names }}፣\n\n"
        "በሚኒስቴሩ ያለዎትን ቀጠሮ ለማስታወስ ነው:\n\n"
        "ቀን: {{ date }}\nሰዓት: {{ time }}\nቦታ: {{ place }}\n\n"
        "ዝርዝር ለማየት ወይም ሌላ ጊዜ ለመምረጥ:\n{{ link }}",
    ),
    "moved": (
        "ቀጠሮዎ ወደ {{ date }}, {{ time }}, {{ place }} ተቀይሯል። ዝርዝር: {{ link }}",
        "ቀጠሮዎ ተቀይሯል",
        "ሰላም {{ given_names }}፣\n\n"
        "በሚኒስቴሩ ያለዎት ቀጠሮ ተቀይሯል። አዲሱ ቀጠሮ:\n\n"
        "ቀን: {{ date }}\nሰዓት: {{ time }}\nቦታ: {{ place }}\n\n"
        "ይህ ጊዜ ካልተመቸዎት ሌላ ጊዜ እዚህ ይምረጡ:\n{{ link }}",
    ),
    "cancelled": (
        "የ{{ date }}, {{ time }} ቀጠሮዎ ተሰርዟል። ዝርዝር: {{ link }}",
        "የ{{ date }} ቀጠሮዎ ተሰርዟል",
        "ሰላም {{ given_names }}፣\n\n"
        "በሚኒስቴሩ የነበረዎት የ{{ date }}, {{ time }} ቀጠሮ ተሰርዟል።\n\n"
        "ዝርዝር:\n{{ link }}",
    ),
    "missed_appointment": (
        "ቀጠሮዎ ላይ አልመጡም። አዲስ ጊዜ ይምረጡ: {{ link }} ወይም ይደውሉ: {{ ministry_phone }}",
        "ቀጠሮዎ ላይ አልመጡም",
        "ሰላም {{ given_names }}፣\n\n"
        "በሚኒስቴሩ ቀጠሮዎ ላይ አልመጡም። አዲስ ጊዜ እዚህ ይምረጡ:\n{{ link }}\n\n"
        "ወይም በ{{ ministry_phone }} ይደውሉልን።",
    ),
    "bank_verification_needed": (
        "እባክዎ ከባንክዎ ደብዳቤ ወይም አዲስ የሂሳብ መግለጫ ከ{{ date }} በፊት ወደ {{ place }} ያምጡ። ጥያቄ: {{ ministry_phone }}",
        "እባክዎ የባንክ ሰነዶችዎን ያምጡ",
        "ሰላም {{ given_names }}፣\n\n"
        "ደመወዝዎ በእርስዎ ስም ብቻ በተከፈተ የባንክ ሂሳብ መከፈል አለበት። እባክዎ ከባንክዎ ደብዳቤ ወይም አዲስ የሂሳብ መግለጫ ከ{{ date }} በፊት ወደ {{ place }} ያምጡ።\n\n"
        "ጥያቄ: {{ ministry_phone }}",
    ),
    "card_expiring": (
        "መታወቂያ ካርድዎ {{ date }} ያበቃል። ለማደስ ወደ {{ place }} ይምጡ። ጥያቄ: {{ ministry_phone }}",
        "መታወቂያ ካርድዎ {{ date }} ያበቃል",
        "ሰላም {{ given_names }}፣\n\n"
        "መታወቂያ ካርድዎ {{ date }} ያበቃል። ለማደስ ፓስፖርትዎን እና ካርድዎን ይዘው ወደ {{ place }} ይምጡ።\n\n"
        "ጥያቄ: {{ ministry_phone }}",
    ),
}

TEXTS["ne"] = {
    "rights_information": (
        "तपाईंको भाषामा मन्त्रालयबाट जानकारी: {{ rights_url }} प्रश्न: {{ ministry_phone }}",
        "तपाईंका अधिकार र कसलाई सम्पर्क गर्ने",
        "नमस्ते {{ given_names }},\n\n"
        "घरेलु कामदारको रूपमा तपाईंका अधिकार र दायित्व, र सहयोग चाहिएमा कसलाई सम्पर्क गर्ने भन्ने जानकारी तपाईंको भाषामा यहाँ छ:\n"
        "{{ rights_url }}\n\n"
        "तपाईं आफ्नो रोजगारदाताको अनुमति बिना जुनसुकै बेला मन्त्रालयलाई सम्पर्क गर्न सक्नुहुन्छ। तपाईंले हामीलाई भनेका कुरा रोजगारदातालाई भनिँदैन।",
    ),
    "registration_confirmation": (
        "मन्त्रालयमा आउनुभएकोमा धन्यवाद। तपाईंको दर्ता पूरा भयो। प्रश्न: {{ ministry_phone }}",
        "तपाईंको दर्ता पूरा भयो",
        "नमस्ते {{ given_names }},\n\n"
        "मन्त्रालयमा आउनुभएकोमा धन्यवाद। तपाईंको दर्ता पूरा भयो।\n\n"
        "कुनै प्रश्न भए वा सहयोग चाहिए {{ ministry_phone }} मा फोन गर्नुहोस्।",
    ),
    "interview_invitation": (
        "तपाईंको भेटघाट: {{ date }}, {{ time }}, {{ place }}। पुष्टि गर्न: {{ link }}",
        "{{ date }} को तपाईंको भेटघाट",
        "नमस्ते {{ given_names }},\n\n"
        "मन्त्रालयले तपाईंलाई भेटघाटका लागि बोलाएको छ:\n\n"
        "मिति: {{ date }}\nसमय: {{ time }}\nस्थान: {{ place }}\n\n"
        "कृपया यहाँ पुष्टि गर्नुहोस् वा अर्को समय छान्नुहोस्:\n{{ link }}\n\n"
        "आवश्यक भए दोभाषे उपलब्ध हुन सक्छ। कृपया आफ्नो राहदानी र परिचयपत्र ल्याउनुहोस्।",
    ),
    "reminder": (
        "सम्झना: तपाईंको भेटघाट {{ date }}, {{ time }}, {{ place }}। विवरण: {{ link }}",
        "सम्झना: {{ date }} को तपाईंको भेटघाट",
        "नमस्ते {{ given_names }},\n\n"
        "मन्त्रालयमा तपाईंको भेटघाटको सम्झना:\n\n"
        "मिति: {{ date }}\nसमय: {{ time }}\nस्थान: {{ place }}\n\n"
        "विवरण हेर्न वा अर्को समय छान्न:\n{{ link }}",
    ),
    "moved": (
        "भेटघाट सारियो: {{ date }}, {{ time }}, {{ place }}। विवरण: {{ link }}",
        "तपाईंको भेटघाट सारिएको छ",
        "नमस्ते {{ given_names }},\n\n"
        "मन्त्रालयमा तपाईंको भेटघाट सारिएको छ। नयाँ भेटघाट:\n\n"
        "मिति: {{ date }}\nसमय: {{ time }}\nस्थान: {{ place }}\n\n"
        "यो समय मिलेन भने यहाँ अर्को समय छान्नुहोस्:\n{{ link }}",
    ),
    "cancelled": (
        "{{ date }}, {{ time }} को तपाईंको भेटघाट रद्द भयो। विवरण: {{ link }}",
        "{{ date }} को तपाईंको भेटघाट रद्द भयो",
        "नमस्ते {{ given_names }},\n\n"
        "मन्त्रालयमा {{ date }}, {{ time }} को तपाईंको भेटघाट रद्द भयो।\n\n"
        "विवरण:\n{{ link }}",
    ),
    "missed_appointment": (
        "तपाईं भेटघाटमा आउनुभएन। नयाँ समय छान्नुहोस्: {{ link }} वा फोन गर्नुहोस्: {{ ministry_phone }}",
        "तपाईं भेटघाटमा आउनुभएन",
        "नमस्ते {{ given_names }},\n\n"
        "तपाईं मन्त्रालयको भेटघाटमा आउनुभएन। यहाँ नयाँ समय छान्नुहोस्:\n{{ link }}\n\n"
        "वा हामीलाई {{ ministry_phone }} मा फोन गर्नुहोस्।",
    ),
    "bank_verification_needed": (
        "कृपया बैंकको पत्र वा नयाँ विवरण {{ date }} अघि {{ place }} मा ल्याउनुहोस्। प्रश्न: {{ ministry_phone }}",
        "कृपया आफ्नो बैंकका कागजात ल्याउनुहोस्",
        "नमस्ते {{ given_names }},\n\n"
        "तपाईंको तलब तपाईंको मात्र नाममा रहेको बैंक खातामा जम्मा हुनुपर्छ। कृपया आफ्नो बैंकको पत्र वा नयाँ विवरण {{ date }} अघि {{ place }} मा ल्याउनुहोस्।\n\n"
        "प्रश्न: {{ ministry_phone }}",
    ),
    "card_expiring": (
        "तपाईंको परिचयपत्रको म्याद {{ date }} मा सकिन्छ। नवीकरणका लागि {{ place }} मा आउनुहोस्। प्रश्न: {{ ministry_phone }}",
        "तपाईंको परिचयपत्रको म्याद {{ date }} मा सकिन्छ",
        "नमस्ते {{ given_names }},\n\n"
        "तपाईंको परिचयपत्रको म्याद {{ date }} मा सकिन्छ। नवीकरणका लागि आफ्नो राहदानी र परिचयपत्र लिएर {{ place }} मा आउनुहोस्।\n\n"
        "प्रश्न: {{ ministry_phone }}",
    ),
}

TEXTS["si"] = {
    "rights_information": (
        "ඔබේ භාෂාවෙන් අමාත්‍යාංශයෙන් තොරතුරු: {{ rights_url }} ප්‍රශ්න: {{ ministry_phone }}",
        "ඔබේ අයිතිවාසිකම් සහ සම්බන්ධ කර ගත යුත්තේ කාවද",
        "ආයුබෝවන් {{ given_names }},\n\n"
        "ගෘහ සේවකයෙකු ලෙස ඔබේ අයිතිවාසිකම් සහ වගකීම් ගැනත්, උදව් අවශ්‍ය නම් සම්බන්ධ කර ගත යුත්තේ කාවද යන්න ගැනත් ඔබේ භාෂාවෙන් තොරතුරු මෙන්න:\n"
        "{{ rights_url }}\n\n"
        "ඔබේ සේවා යෝජකයාගේ අවසරයකින් තොරව ඕනෑම වේලාවක ඔබට අමාත්‍යාංශය සම්බන්ධ කර ගත හැකිය. ඔබ අපට කියන දේ ඔබේ සේවා යෝජකයාට නොකියනු ලැබේ.",
    ),
    "registration_confirmation": (
        "අමාත්‍යාංශයට පැමිණීම ගැන ස්තුතියි. ඔබේ ලියාපදිංචිය සම්පූර්ණයි. ප්‍රශ්න: {{ ministry_phone }}",
        "ඔබේ ලියාපදිංචිය සම්පූර්ණයි",
        "ආයුබෝවන් {{ given_names }},\n\n"
        "අමාත්‍යාංශයට පැමිණීම ගැන ස්තුතියි. ඔබේ ලියාපදිංචිය සම්පූර්ණයි.\n\n"
        "ප්‍රශ්නයක් ඇත්නම් හෝ උදව් අවශ්‍ය නම් {{ ministry_phone }} අමතන්න.",
    ),
    "interview_invitation": (
        "ඔබේ හමුව: {{ date }}, {{ time }}, {{ place }}. තහවුරු කිරීමට: {{ link }}",
        "{{ date }} ඔබේ හමුව",
        "ආයුබෝවන් {{ given_names }},\n\n"
        "අමාත්‍යාංශය ඔබට හමුවකට ආරාධනා කරයි:\n\n"
        "දිනය: {{ date }}\nවේලාව: {{ time }}\nස්ථානය: {{ place }}\n\n"
        "කරුණාකර මෙතැනින් තහවුරු කරන්න, නැතහොත් වෙනත් වේලාවක් තෝරන්න:\n{{ link }}\n\n"
        "අවශ්‍ය නම් භාෂා පරිවර්තකයෙකු සිටිය හැකිය. කරුණාකර ඔබේ ගමන් බලපත්‍රය සහ හැඳුනුම්පත ගෙන එන්න.",
    ),
    "reminder": (
        "මතක් කිරීම: ඔබේ හමුව {{ date }}, {{ time }}, {{ place }}. විස්තර: {{ link }}",
        "මතක් කිරීම: {{ date }} ඔබේ හමුව",
        "ආයුබෝවන් {{ given_names }},\n\n"
        "අමාත්‍යාංශයේ ඔබේ හමුව ගැන මතක් කිරීමක්:\n\n"
        "දිනය: {{ date }}\nවේලාව: {{ time }}\nස්ථානය: {{ place }}\n\n"
        "විස්තර සඳහා හෝ වෙනත් වේලාවක් තෝරා ගැනීමට:\n{{ link }}",
    ),
    "moved": (
        "ඔබේ හමුව {{ date }}, {{ time }}, {{ place }} වෙත වෙනස් විය. විස්තර: {{ link }}",
        "ඔබේ හමුව වෙනස් විය",
        "ආයුබෝවන් {{ given_names }},\n\n"
        "අමාත්‍යාංශයේ ඔබේ හමුව වෙනස් විය. නව හමුව:\n\n"
        "දිනය: {{ date }}\nවේලාව: {{ time }}\nස්ථානය: {{ place }}\n\n"
        "මෙම වේලාව ඔබට නොගැලපේ නම්, මෙතැනින් වෙනත් වේලාවක් තෝරන්න:\n{{ link }}",
    ),
    "cancelled": (
        "{{ date }}, {{ time }} ඔබේ හමුව අවලංගු විය. විස්තර: {{ link }}",
        "{{ date }} ඔබේ හමුව අවලංගු විය",
        "ආයුබෝවන් {{ given_names }},\n\n"
        "අමාත්‍යාංශයේ {{ date }}, {{ time }} ඔබේ හමුව අවලංගු විය.\n\n"
        "විස්තර:\n{{ link }}",
    ),
    "missed_appointment": (
        "ඔබ හමුවට පැමිණියේ නැත. නව වේලාවක් තෝරන්න: {{ link }} හෝ අමතන්න: {{ ministry_phone }}",
        "ඔබ හමුවට පැමිණියේ නැත",
        "ආයුබෝවන් {{ given_names }},\n\n"
        "ඔබ අමාත්‍යාංශයේ හමුවට පැමිණියේ නැත. මෙතැනින් නව වේලාවක් තෝරන්න:\n{{ link }}\n\n"
        "නැතහොත් {{ ministry_phone }} අමතන්න.",
    ),
    "bank_verification_needed": (
        "කරුණාකර බැංකු ලිපියක් හෝ ප්‍රකාශයක් {{ date }} ට පෙර {{ place }} වෙත ගෙන එන්න. ප්‍රශ්න: {{ ministry_phone }}",
        "කරුණාකර ඔබේ බැංකු ලේඛන ගෙන එන්න",
        "ආයුබෝවන් {{ given_names }},\n\n"
        "ඔබේ වැටුප ඔබේ නමින් පමණක් ඇති බැංකු ගිණුමකට ගෙවිය යුතුය. කරුණාකර ඔබේ බැංකුවෙන් ලිපියක් හෝ මෑත ප්‍රකාශයක් {{ date }} ට පෙර {{ place }} වෙත ගෙන එන්න.\n\n"
        "ප්‍රශ්න: {{ ministry_phone }}",
    ),
    "card_expiring": (
        "ඔබේ හැඳුනුම්පත {{ date }} දින කල් ඉකුත් වේ. අලුත් කිරීමට {{ place }} වෙත එන්න. ප්‍රශ්න: {{ ministry_phone }}",
        "ඔබේ හැඳුනුම්පත {{ date }} දින කල් ඉකුත් වේ",
        "ආයුබෝවන් {{ given_names }},\n\n"
        "ඔබේ හැඳුනුම්පත {{ date }} දින කල් ඉකුත් වේ. එය අලුත් කිරීමට ඔබේ ගමන් බලපත්‍රය සහ හැඳුනුම්පත සමඟ {{ place }} වෙත එන්න.\n\n"
        "ප්‍රශ්න: {{ ministry_phone }}",
    ),
}

TEXTS["bn"] = {
    "rights_information": (
        "আপনার ভাষায় মন্ত্রণালয়ের তথ্য: {{ rights_url }} প্রশ্ন: {{ ministry_phone }}",
        "আপনার অধিকার এবং কার সাথে যোগাযোগ করবেন",
        "প্রিয় {{ given_names }},\n\n"
        "গৃহকর্মী হিসেবে আপনার অধিকার ও দায়িত্ব, এবং সাহায্যের প্রয়োজন হলে কার সাথে যোগাযোগ করবেন, সে বিষয়ে আপনার ভাষায় তথ্য এখানে:\n"
        "{{ rights_url }}\n\n"
        "আপনি আপনার নিয়োগকর্তার অনুমতি ছাড়াই যেকোনো সময় মন্ত্রণালয়ের সাথে যোগাযোগ করতে পারেন। আপনি আমাদের যা বলেন তা আপনার নিয়োগকর্তাকে জানানো হয় না।",
    ),
    "registration_confirmation": (
        "মন্ত্রণালয়ে আসার জন্য ধন্যবাদ। আপনার নিবন্ধন সম্পূর্ণ হয়েছে। প্রশ্ন: {{ ministry_phone }}",
        "আপনার নিবন্ধন সম্পূর্ণ হয়েছে",
        "প্রিয় {{ given_names }},\n\n"
        "মন্ত্রণালয়ে আসার জন্য ধন্যবাদ। আপনার নিবন্ধন সম্পূর্ণ হয়েছে।\n\n"
        "কোনো প্রশ্ন থাকলে বা সাহায্য লাগলে {{ ministry_phone }} নম্বরে ফোন করুন।",
    ),
    "interview_invitation": (
        "সাক্ষাৎ: {{ date }}, {{ time }}, {{ place }}। নিশ্চিত করুন: {{ link }}",
        "{{ date }} তারিখে আপনার সাক্ষাৎ",
        "প্রিয় {{ given_names }},\n\n"
        "মন্ত্রণালয় আপনাকে একটি সাক্ষাতের জন্য আমন্ত্রণ জানাচ্ছে:\n\n"
        "তারিখ: {{ date }}\nসময়: {{ time }}\nস্থান: {{ place }}\n\n"
        "অনুগ্রহ করে এখানে নিশ্চিত করুন, অথবা অন্য সময় বেছে নিন:\n{{ link }}\n\n"
        "প্রয়োজন হলে একজন দোভাষী থাকতে পারেন। অনুগ্রহ করে আপনার পাসপোর্ট ও পরিচয়পত্র নিয়ে আসুন।",
    ),
    "reminder": (
        "মনে রাখবেন: সাক্ষাৎ {{ date }}, {{ time }}, {{ place }}। বিস্তারিত: {{ link }}",
        "মনে রাখবেন: {{ date }} তারিখে আপনার সাক্ষাৎ",
        "প্রিয় {{ given_names }},\n\n"
        "মন্ত্রণালয়ে আপনার সাক্ষাতের কথা মনে করিয়ে দিচ্ছি:\n\n"
        "তারিখ: {{ date }}\nসময়: {{ time }}\nস্থান: {{ place }}\n\n"
        "বিস্তারিত জানতে বা অন্য সময় বেছে নিতে:\n{{ link }}",
    ),
    "moved": (
        "নতুন সাক্ষাৎ: {{ date }}, {{ time }}, {{ place }}। বিস্তারিত: {{ link }}",
        "আপনার সাক্ষাতের সময় বদলেছে",
        "প্রিয় {{ given_names }},\n\n"
        "মন্ত্রণালয়ে আপনার সাক্ষাতের সময় বদলেছে। নতুন সাক্ষাৎ:\n\n"
        "তারিখ: {{ date }}\nসময়: {{ time }}\nস্থান: {{ place }}\n\n"
        "এই সময় সুবিধাজনক না হলে এখানে অন্য সময় বেছে নিন:\n{{ link }}",
    ),
    "cancelled": (
        "{{ date }}, {{ time }}-এর সাক্ষাৎ বাতিল হয়েছে। বিস্তারিত: {{ link }}",
        "{{ date }} তারিখের সাক্ষাৎ বাতিল হয়েছে",
        "প্রিয় {{ given_names }},\n\n"
        "মন্ত্রণালয়ে {{ date }}, {{ time }}-এর আপনার সাক্ষাৎ বাতিল হয়েছে।\n\n"
        "বিস্তারিত:\n{{ link }}",
    ),
    "missed_appointment": (
        "আপনি সাক্ষাতে আসেননি। নতুন সময় বেছে নিন: {{ link }} অথবা ফোন করুন: {{ ministry_phone }}",
        "আপনি সাক্ষাতে আসেননি",
        "প্রিয় {{ given_names }},\n\n"
        "আপনি মন্ত্রণালয়ের সাক্ষাতে আসেননি। এখানে নতুন সময় বেছে নিন:\n{{ link }}\n\n"
        "অথবা আমাদের {{ ministry_phone }} নম্বরে ফোন করুন।",
    ),
    "bank_verification_needed": (
        "অনুগ্রহ করে ব্যাংকের চিঠি বা নতুন বিবরণী {{ date }}-এর আগে {{ place }}-এ আনুন। প্রশ্ন: {{ ministry_phone }}",
        "অনুগ্রহ করে আপনার ব্যাংকের কাগজপত্র নিয়ে আসুন",
        "প্রিয় {{ given_names }},\n\n"
        "আপনার বেতন শুধু আপনার নামের একটি ব্যাংক অ্যাকাউন্টে দিতে হবে। অনুগ্রহ করে আপনার ব্যাংকের চিঠি বা সাম্প্রতিক বিবরণী {{ date }}-এর আগে {{ place }}-এ নিয়ে আসুন।\n\n"
        "প্রশ্ন: {{ ministry_phone }}",
    ),
    "card_expiring": (
        "আপনার পরিচয়পত্রের মেয়াদ {{ date }}-এ শেষ হবে। নবায়নের জন্য {{ place }}-এ আসুন। প্রশ্ন: {{ ministry_phone }}",
        "আপনার পরিচয়পত্রের মেয়াদ {{ date }}-এ শেষ হবে",
        "প্রিয় {{ given_names }},\n\n"
        "আপনার পরিচয়পত্রের মেয়াদ {{ date }}-এ শেষ হবে। নবায়নের জন্য আপনার পাসপোর্ট ও পরিচয়পত্র নিয়ে {{ place }}-এ আসুন।\n\n"
        "প্রশ্ন: {{ ministry_phone }}",
    ),
}


def create_defaults(apps, schema_editor):
    template_model = apps.get_model("notifications", "MessageTemplate")
    history_model = apps.get_model("notifications", "HistoricalMessageTemplate")
    existing = set(template_model.objects.values_list("kind", "channel", "language"))
    now = timezone.now()
    new = []
    for language, kinds in TEXTS.items():
        for kind in KINDS:
            sms, subject, email = kinds[kind]
            for channel, row_subject, body in (("sms", "", sms), ("email", subject, email)):
                if (kind, channel, language) not in existing:
                    new.append(
                        template_model(
                            kind=kind,
                            channel=channel,
                            language=language,
                            subject=row_subject,
                            body=body,
                            version=1,
                        )
                    )
    template_model.objects.bulk_create(new)
    # The editor shows each template's versions from its history: start it at version 1.
    created = [
        row
        for row in template_model.objects.all()
        if (row.kind, row.channel, row.language) not in existing
    ]
    history_model.objects.bulk_create(
        history_model(
            id=row.pk,
            kind=row.kind,
            channel=row.channel,
            language=row.language,
            subject=row.subject,
            body=row.body,
            version=row.version,
            updated_at=row.updated_at,
            updated_by_id=None,
            history_date=now,
            history_type="+",
            history_change_reason="Default text",
        )
        for row in created
    )


def remove_defaults(apps, schema_editor):
    """Take back the default texts nobody has changed since."""
    template_model = apps.get_model("notifications", "MessageTemplate")
    for language, kinds in TEXTS.items():
        for kind in KINDS:
            sms, _subject, email = kinds[kind]
            template_model.objects.filter(
                kind=kind, language=language, version=1, updated_by=None, body__in=[sms, email]
            ).delete()


class Migration(migrations.Migration):
    # Needs only the tables of 0001_initial; placed after 0003 so the graph keeps a single leaf
    # (two leaves make `migrate` refuse to run).
    dependencies = [
        ("notifications", "0003_contact_point"),
    ]

    operations = [
        migrations.RunPython(create_defaults, remove_defaults),
        # Administrators edit these texts: give the role groups the template permissions listed
        # in accounts.roles.
        migrations.RunPython(roles_sync_migration, migrations.RunPython.noop),
    ]
