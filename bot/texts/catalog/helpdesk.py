"""Texts of the helpdesk: the office's contact, what participants ask the staff group, staff's
replies, and what staff learn about them."""

TEXTS: dict[str, tuple[str, str]] = {
    # --- the office, in /start and /bantuan ---------------------------------------------------
    "office.ask_here": (
        "💬 Ada pertanyaan? Tulis saja di chat ini, petugas {org} akan membalas di sini.",
        "💬 Any questions? Just write them in this chat; the staff of {org} will reply here.",
    ),
    "office.contact": ("📞 Kontak {org}: {contact}", "📞 Contact {org}: {contact}"),
    # Who the trainings are for, in the welcome and the WhatsApp text (plain: no markup); the
    # city is read from ORG_NAME ("Dinas Koperasi dan UKM Kota Malang" -> "Kota Malang").
    "office.free": (
        "Pelatihannya gratis untuk pelaku usaha mikro.",
        "The trainings are free for micro-business owners.",
    ),
    "office.free.city": (
        "Pelatihannya gratis untuk pelaku usaha mikro di {city}.",
        "The trainings are free for micro-business owners in {city}.",
    ),
    "office.no_contact": (
        "📞 Untuk pertanyaan lain, hubungi petugas {org}.",
        "📞 For other questions, contact the staff of {org}.",
    ),
    # --- a participant writes outside a step -------------------------------------------------
    "helpdesk.forwarded": (
        "✅ Pesan Anda sudah kami teruskan ke petugas {org}. Balasannya akan muncul di chat ini.",
        "✅ Your message has been passed on to the staff of {org}. Their reply will appear in "
        "this chat.",
    ),
    "helpdesk.added": (
        "✅ Pesan tambahan Anda juga kami teruskan.",
        "✅ Your follow-up message is passed on too.",
    ),
    "helpdesk.not_forwarded": (
        "Maaf, pesan ini tidak bisa diteruskan ke petugas dari sini.\n{office}\n\n"
        "Ketik /start untuk membuka menu.",
        "Sorry, this message cannot be passed on to the staff from here.\n{office}\n\n"
        "Type /start to open the menu.",
    ),
    "helpdesk.text_only": (
        "Saya bisa meneruskan teks, pesan suara, foto, video dan dokumen ke petugas, tetapi "
        "tidak yang ini. Tulis pertanyaan Anda, atau ketik /start untuk membuka menu.",
        "I can pass texts, voice notes, photos, videos and files on to the staff, but not this "
        "one. Write your question, or type /start to open the menu.",
    ),
    # --- the staff group: a participant's message ---------------------------------------------
    "helpdesk.question.header": (
        "❓ <b>Pesan dari peserta</b>",
        "❓ <b>Message from a participant</b>",
    ),
    "helpdesk.question.header_media": (
        "❓ <b>Pesan dari peserta</b> · {kind}",
        "❓ <b>Message from a participant</b> · {kind}",
    ),
    "helpdesk.media.voice": ("🎤 pesan suara", "🎤 voice note"),
    "helpdesk.media.audio": ("🎵 audio", "🎵 audio"),
    "helpdesk.media.photo": ("🖼 foto", "🖼 photo"),
    "helpdesk.media.video": ("🎬 video", "🎬 video"),
    "helpdesk.media.animation": ("🎞 GIF", "🎞 GIF"),
    "helpdesk.media.document": ("📎 dokumen", "📎 file"),
    "helpdesk.question.name": ("👤 <b>{name}</b>", "👤 <b>{name}</b>"),
    "helpdesk.question.unnamed": ("👤 (belum mengisi nama)", "👤 (no name given yet)"),
    "helpdesk.question.telegram": ("Telegram: {telegram}", "Telegram: {telegram}"),
    "helpdesk.question.telegram_username": (
        "Telegram: {telegram} (@{username})",
        "Telegram: {telegram} (@{username})",
    ),
    "helpdesk.question.phone": ("📱 {phone}", "📱 {phone}"),
    "helpdesk.question.registrations": ("📋 Pendaftaran:", "📋 Registrations:"),
    "helpdesk.question.registration": (
        "• {code} · {title} ({dates}): {status}",
        "• {code} · {title} ({dates}): {status}",
    ),
    "helpdesk.question.no_registrations": (
        "📋 Belum pernah mendaftar pelatihan.",
        "📋 No registrations yet.",
    ),
    "helpdesk.question.text": (
        "<blockquote>{text}</blockquote>",
        "<blockquote>{text}</blockquote>",
    ),
    "helpdesk.question.footer": (
        "<i>↩️ Balas (reply) pesan ini untuk menjawab; jawaban Anda dikirim ke peserta.</i>",
        "<i>↩️ Reply to this message to answer; your answer goes to the participant.</i>",
    ),
    # --- the participant: a staff member's reply ----------------------------------------------
    "helpdesk.reply": (
        "💬 <b>Balasan dari petugas {org}:</b>\n{text}\n\n"
        "<i>Masih ada pertanyaan? Tulis saja di sini.</i>",
        "💬 <b>Reply from the staff of {org}:</b>\n{text}\n\n"
        "<i>More questions? Just write them here.</i>",
    ),
    "helpdesk.reply.media": (
        "💬 <b>Balasan dari petugas {org}.</b>\n\n<i>Masih ada pertanyaan? Tulis saja di sini.</i>",
        "💬 <b>Reply from the staff of {org}.</b>\n\n<i>More questions? Just write them here.</i>",
    ),
    # --- the staff group: what became of a reply ------------------------------------------------
    "helpdesk.someone": ("peserta", "the participant"),
    "helpdesk.receipt.sent": ("✅ Terkirim ke {name}.", "✅ Delivered to {name}."),
    "helpdesk.receipt.blocked": (
        "⚠️ Tidak terkirim: {name} memblokir bot ini.",
        "⚠️ Not delivered: {name} has blocked this bot.",
    ),
    "helpdesk.receipt.failed": (
        "⚠️ Tidak terkirim ke {name}: Telegram menolak pesan ini.",
        "⚠️ Not delivered to {name}: Telegram refused this message.",
    ),
    "helpdesk.receipt.unknown": (
        "❔ Belum pasti sampai ke {name}: sambungan terputus saat mengirim. "
        "Pesan tidak dikirim ulang.",
        "❔ Not sure it reached {name}: the connection broke while sending. It is not sent again.",
    ),
    "helpdesk.staff.not_a_question": (
        "Untuk menjawab peserta, balas (reply) pesan pertanyaannya yang dikirim bot.",
        "To answer a participant, reply to their question as the bot posted it.",
    ),
    "helpdesk.staff.text_only": (
        "Hanya balasan berupa teks, pesan suara, foto, video atau dokumen yang bisa diteruskan "
        "ke peserta.",
        "Only replies in text, voice notes, photos, videos or files can be passed on to the "
        "participant.",
    ),
    "helpdesk.staff.erased": (
        "Peserta ini sudah menghapus datanya, jadi balasan tidak bisa dikirim.",
        "This participant deleted their data, so the reply cannot be sent.",
    ),
}
