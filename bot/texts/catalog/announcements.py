"""Texts of staff announcements: key -> (Indonesian, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    # What participants receive.
    "announce.message": (
        "📢 <b>Pengumuman — {title}</b>\n\n{body}",
        "📢 <b>Announcement — {title}</b>\n\n{body}",
    ),
    "announce.message_all": (
        "📢 <b>Pengumuman</b>\n\n{body}",
        "📢 <b>Announcement</b>\n\n{body}",
    ),
    # The staff conversation.
    "announce.choose_audience": (
        "Kirim pengumuman kepada siapa?",
        "Who should get the announcement?",
    ),
    "announce.audience.confirmed": ("✅ Peserta terdaftar", "✅ Confirmed participants"),
    "announce.audience.waitlist": ("⏳ Daftar tunggu", "⏳ Waiting list"),
    "announce.audience.everyone": (
        "👥 Semua yang pernah mendaftar",
        "👥 Everyone who ever registered",
    ),
    "announce.pick.confirmed": (
        "{title} · {date} · {count} peserta",
        "{title} · {date} · {count} confirmed",
    ),
    "announce.pick.waitlist": (
        "{title} · {date} · {count} di daftar tunggu",
        "{title} · {date} · {count} waiting",
    ),
    "announce.no_trainings": (
        "Belum ada pelatihan. Pengumuman dibatalkan.",
        "There are no trainings yet. The announcement is cancelled.",
    ),
    "announce.no_recipients": (
        "Tidak ada penerima untuk pilihan ini. Pengumuman dibatalkan.",
        "Nobody would receive this. The announcement is cancelled.",
    ),
    "announce.write_text": (
        "Tulis teks pengumuman untuk <b>{audience}</b> ({count} penerima). Huruf tebal dan "
        "miring tetap terbawa. /batal untuk berhenti.",
        "Write the announcement for <b>{audience}</b> ({count} recipients). Bold and italic "
        "are kept. /cancel to stop.",
    ),
    "announce.audience_of_training": ("{audience} — {title}", "{audience} — {title}"),
    "announce.text_expected": (
        "Kirim teks pengumuman sebagai pesan biasa (bukan foto atau stiker).",
        "Please send the announcement as a text message (not a photo or sticker).",
    ),
    "announce.buttons_expected": (
        "Silakan pilih dengan tombol di atas, atau /batal untuk berhenti.",
        "Please choose with the buttons above, or /cancel to stop.",
    ),
    "announce.text_empty": (
        "Teks pengumuman kosong. Silakan tulis lagi.",
        "The announcement is empty. Please write it again.",
    ),
    "announce.text_too_long": (
        "Teks terlalu panjang ({length} huruf, paling banyak {limit}). Silakan persingkat.",
        "The text is too long ({length} characters, at most {limit}). Please shorten it.",
    ),
    "announce.preview_header": (
        "Pratinjau — seperti ini peserta akan menerimanya:",
        "Preview — this is what participants will receive:",
    ),
    "announce.confirm": (
        "Kirim pengumuman di atas ke <b>{count}</b> penerima ({audience})?",
        "Send the announcement above to <b>{count}</b> recipients ({audience})?",
    ),
    "announce.send": ("📤 Kirim", "📤 Send"),
    "announce.cancelled": (
        "Pengumuman dibatalkan, tidak ada yang dikirim.",
        "Announcement cancelled; nothing was sent.",
    ),
    "announce.already_started": (
        "Pengumuman ini sudah dikirim atau dibatalkan.",
        "This announcement was already sent or cancelled.",
    ),
    "announce.timeout": (
        "Pengumuman tidak dilanjutkan karena lama tidak ada jawaban. Mulai lagi dengan /umumkan.",
        "The announcement was left unfinished for too long. Start again with /broadcast.",
    ),
    # Progress and the final report (staff chat and command line).
    "announce.progress_starting": ("📤 Mulai mengirim pengumuman…", "📤 Starting to send…"),
    "announce.progress": (
        "📤 Mengirim pengumuman… {done} dari {total}\n"
        "✅ terkirim {sent} · 🚫 memblokir bot {blocked} · ⚠️ gagal {failed}",
        "📤 Sending the announcement… {done} of {total}\n"
        "✅ delivered {sent} · 🚫 blocked the bot {blocked} · ⚠️ failed {failed}",
    ),
    "announce.report": (
        "📢 Pengumuman selesai dikirim ke {total} penerima.\n"
        "✅ Terkirim: {sent}\n"
        "🚫 Memblokir bot: {blocked}\n"
        "⚠️ Gagal: {failed}",
        "📢 Announcement finished, {total} recipients.\n"
        "✅ Delivered: {sent}\n"
        "🚫 Blocked the bot: {blocked}\n"
        "⚠️ Failed: {failed}",
    ),
    "announce.report_unknown": (
        "\n❔ Tidak pasti (koneksi terputus, tidak dikirim ulang): {unknown}",
        "\n❔ Unknown (connection lost, not resent): {unknown}",
    ),
}
