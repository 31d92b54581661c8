"""After the training: printed documents, the feedback survey, certificates, /statistik."""

TEXTS: dict[str, tuple[str, str]] = {
    # ---- printed: the attendance sheet (daftar hadir) -------------------------------------------
    "doc.sheet.title": ("DAFTAR HADIR PESERTA", "ATTENDANCE SHEET"),
    "doc.sheet.training": ("Pelatihan", "Training"),
    "doc.sheet.day": ("Hari ke", "Day"),
    "doc.sheet.day_value": ("{n} dari {of} — {topic}", "{n} of {of} — {topic}"),
    "doc.sheet.date": ("Tanggal", "Date"),
    "doc.sheet.time": ("Waktu", "Time"),
    "doc.sheet.venue": ("Tempat", "Venue"),
    "doc.col.no": ("No.", "No."),
    "doc.col.name": ("Nama", "Name"),
    "doc.col.business": ("Nama Usaha", "Business"),
    "doc.col.district": ("Kecamatan", "District"),
    "doc.col.phone": ("No. HP", "Phone"),
    "doc.col.signature": ("Tanda Tangan", "Signature"),
    "doc.sheet.empty": ("Belum ada peserta terdaftar.", "No confirmed participants yet."),
    "doc.sheet.count": ("Jumlah peserta: {count}", "Participants: {count}"),
    "doc.sheet.signed": ("Mengetahui,", "Acknowledged by,"),
    "doc.sheet.officer": ("Petugas / Panitia", "Officer"),
    "doc.page": ("Halaman {page}", "Page {page}"),
    "doc.printed": ("Dicetak {when}", "Printed {when}"),
    "doc.sheet.filename": ("daftar-hadir-{code}-hari-{n}.pdf", "attendance-{code}-day-{n}.pdf"),
    # ---- printed: the certificate ------------------------------------------------------------
    "doc.cert.title": ("SERTIFIKAT", "CERTIFICATE"),
    "doc.unprintable": (
        "(ditulis dalam aksara yang tidak dapat dicetak; tersimpan di data peserta)",
        "(written in a script that cannot be printed; kept in the participant's data)",
    ),
    "doc.cert.number": ("Nomor: {number}", "No. {number}"),
    "doc.cert.given_to": ("diberikan kepada", "is presented to"),
    "doc.cert.for": (
        "atas partisipasinya sebagai peserta",
        "for taking part as a participant in",
    ),
    "doc.cert.held": (
        "yang diselenggarakan oleh {org} pada {dates} di {venue}.",
        "held by {org} on {dates} at {venue}.",
    ),
    "doc.cert.place_date": ("Diterbitkan {date}", "Issued {date}"),
    "doc.cert.head": ("Kepala {org}", "Head of {org}"),
    "doc.cert.verify": (
        "Pindai untuk memeriksa keaslian sertifikat ini",
        "Scan to check this certificate is genuine",
    ),
    # ---- printed: the activity report (laporan kegiatan) ----------------------------------------
    "doc.report.title": ("LAPORAN KEGIATAN", "ACTIVITY REPORT"),
    "doc.report.summary": ("Ringkasan", "Summary"),
    "doc.report.code": ("Kode", "Code"),
    "doc.report.dates": ("Tanggal", "Dates"),
    "doc.report.capacity": ("Kuota", "Seats"),
    "doc.report.confirmed": ("Terdaftar (dapat kursi)", "Confirmed"),
    "doc.report.waitlisted": ("Daftar tunggu", "Waiting list"),
    "doc.report.cancelled": ("Batal", "Cancelled"),
    "doc.report.total": ("Jumlah pendaftaran", "Registrations"),
    "doc.report.schedule": ("Jadwal", "Schedule"),
    "doc.report.day_line": ("Hari {n}", "Day {n}"),
    "doc.report.present": ("Hadir", "Present"),
    "doc.report.registrations": ("Pendaftaran dan kehadiran", "Registrations and attendance"),
    "doc.report.people": ("Peserta", "Participants"),
    "doc.report.feedback": ("Umpan balik peserta", "Participants' feedback"),
    "doc.report.no_feedback": ("Belum ada umpan balik.", "No feedback yet."),
    "doc.report.responses": (
        "{answered} dari {invited} peserta yang hadir menjawab ({finished} sampai selesai).",
        "{answered} of {invited} attendees answered ({finished} to the end).",
    ),
    "doc.report.quotes": ("Yang paling membantu, kata peserta", "What helped most, in their words"),
    "doc.report.topics": ("Topik yang diminta berikutnya", "Topics wanted next"),
    "doc.report.average": ("{value} dari 5", "{value} of 5"),
    "doc.report.filename": ("laporan-{code}.pdf", "report-{code}.pdf"),
    "doc.report.xlsx_filename": ("laporan-{code}.xlsx", "report-{code}.xlsx"),
    "doc.report.sheet.summary": ("Ringkasan", "Summary"),
    "doc.report.sheet.per_day": ("Pendaftaran per hari", "Registrations per day"),
    "doc.report.sheet.attendance": ("Kehadiran", "Attendance"),
    "doc.report.sheet.districts": ("Kecamatan", "Districts"),
    "doc.report.sheet.sectors": ("Sektor", "Sectors"),
    "doc.report.sheet.feedback": ("Umpan balik", "Feedback"),
    "doc.report.col.item": ("Keterangan", "Item"),
    "doc.report.col.count": ("Jumlah", "Count"),
    "doc.report.col.date": ("Tanggal", "Date"),
    "doc.report.col.day": ("Hari", "Day"),
    # ---- charts ------------------------------------------------------------------------------
    "chart.registrations": ("Pendaftaran (kumulatif)", "Registrations (cumulative)"),
    "chart.status": ("Status pendaftaran", "Registration status"),
    "chart.attendance": ("Kehadiran per hari", "Attendance per day"),
    "chart.districts": ("Peserta per kecamatan", "Participants by district"),
    "chart.sectors": ("Peserta per sektor usaha", "Participants by sector"),
    "chart.day": ("Hari {n} ({date})", "Day {n} ({date})"),
    # ---- the feedback survey in the chat ------------------------------------------------------
    "survey.intro": (
        "🙏 Terima kasih sudah mengikuti <b>{title}</b>!\n"
        "Boleh minta waktu 1 menit untuk memberi penilaian? Jawaban Anda membantu kami "
        "membuat pelatihan berikutnya lebih baik.",
        "🙏 Thank you for attending <b>{title}</b>!\n"
        "Could you spare a minute to rate it? Your answers help us make the next training "
        "better.",
    ),
    "survey.ask.overall": (
        "<b>1/5</b> Secara keseluruhan, bagaimana pelatihan ini?",
        "<b>1/5</b> Overall, how was the training?",
    ),
    "survey.ask.material": (
        "<b>2/5</b> Bagaimana materinya (isi, kegunaan)?",
        "<b>2/5</b> How was the material (content, usefulness)?",
    ),
    "survey.ask.trainer": (
        "<b>3/5</b> Bagaimana pelatih / narasumbernya?",
        "<b>3/5</b> How was the trainer?",
    ),
    "survey.ask.helped": (
        "<b>4/5</b> Apa yang paling membantu usaha Anda dari pelatihan ini? "
        "Tulis dengan kata-kata Anda sendiri (maks. {limit} huruf), atau tekan Lewati.",
        "<b>4/5</b> What helped your business most in this training? "
        "Write it in your own words (max. {limit} characters), or tap Skip.",
    ),
    "survey.ask.topics": (
        "<b>5/5</b> Topik pelatihan apa yang Anda inginkan berikutnya? "
        "Pilih satu atau beberapa, lalu tekan Selesai.",
        "<b>5/5</b> Which topics would you like next? Choose one or more, then tap Done.",
    ),
    "survey.done": (
        "✅ Terima kasih! Jawaban Anda sudah kami simpan.",
        "✅ Thank you! Your answers have been saved.",
    ),
    "survey.too_long": (
        "Jawabannya terlalu panjang ({length} huruf). Mohon persingkat menjadi paling banyak "
        "{limit} huruf.",
        "That answer is too long ({length} characters). Please keep it to {limit} at most.",
    ),
    "survey.use_buttons": (
        "Silakan jawab dengan menekan tombol di pesan survei di atas.",
        "Please answer with the buttons of the survey message above.",
    ),
    "survey.text_only": (
        "Mohon tulis jawaban sebagai teks, atau tekan Lewati.",
        "Please write your answer as text, or tap Skip.",
    ),
    "survey.paused": (
        "Survei dijeda. Jawaban Anda tersimpan; tekan tombol di pesan survei untuk melanjutkan.",
        "Survey paused. Your answers are saved; tap a button of the survey message to go on.",
    ),
    "survey.button.skip": ("Lewati", "Skip"),
    "survey.button.done": ("✅ Selesai", "✅ Done"),
    "survey.topic.digital_marketing": ("Pemasaran digital", "Digital marketing"),
    "survey.topic.bookkeeping": ("Pembukuan sederhana", "Simple bookkeeping"),
    "survey.topic.packaging": ("Kemasan produk", "Product packaging"),
    "survey.topic.licensing": ("Perizinan & sertifikasi halal", "Licences & halal certification"),
    "survey.topic.product_photo": ("Foto produk", "Product photography"),
    "survey.topic.capital": ("Akses permodalan", "Access to finance"),
    "survey.rating.overall": ("Keseluruhan", "Overall"),
    "survey.rating.material": ("Materi", "Material"),
    "survey.rating.trainer": ("Pelatih", "Trainer"),
    # ---- certificates in the chat ----------------------------------------------------------
    "cert.offer": (
        "🎓 Selamat, Anda berhak mendapat sertifikat <b>{title}</b>.\n\n"
        "Nama di sertifikat akan tertulis:\n<b>{name}</b>\n\n"
        "Apakah ejaannya sudah benar?",
        "🎓 Congratulations, you have earned the certificate of <b>{title}</b>.\n\n"
        "Your name will be printed as:\n<b>{name}</b>\n\n"
        "Is the spelling right?",
    ),
    "cert.button.confirm": ("✅ Nama sudah benar", "✅ The name is right"),
    "cert.button.fix": ("✏️ Perbaiki nama", "✏️ Fix my name"),
    "cert.ask_name": (
        "Tulis nama lengkap Anda persis seperti yang ingin dicetak di sertifikat "
        "(maks. {limit} huruf). Ketik /batal untuk berhenti mengisi.",
        "Type your full name exactly as it should be printed on the certificate "
        "(max. {limit} characters). Type /cancel to stop filling in.",
    ),
    "cert.bad_name": (
        "Nama itu tidak bisa dipakai: tulis 2–{limit} huruf, tanpa tautan atau simbol aneh.",
        "That name can't be used: write 2–{limit} characters, no links or odd symbols.",
    ),
    "cert.name_cancelled": (
        "Baik, nama tidak diubah. Tekan tombol di pesan sertifikat kapan saja.",
        "OK, the name was not changed. Tap the certificate message's buttons any time.",
    ),
    "cert.issuing": (
        "⏳ Sertifikat atas nama <b>{name}</b> sedang dikirim…",
        "⏳ The certificate for <b>{name}</b> is on its way…",
    ),
    "cert.not_eligible": (
        "Sertifikat ini tidak tersedia untuk Anda.",
        "This certificate is not available to you.",
    ),
    "cert.caption": (
        "🎓 Sertifikat {title}\nNomor: {number}\nSimpan file ini; kodenya bisa dipindai untuk "
        "memeriksa keasliannya.",
        "🎓 Certificate — {title}\nNo. {number}\nKeep this file; its code can be scanned to "
        "check it is genuine.",
    ),
    "cert.caption_reissued": (
        "🎓 Sertifikat {title} (nama diperbaiki)\nNomor tetap: {number}",
        "🎓 Certificate — {title} (name corrected)\nSame number: {number}",
    ),
    "cert.genuine": (
        "✅ <b>Sertifikat asli</b>\n\nNomor: {number}\nNama: <b>{name}</b>\nPelatihan: {title}\n"
        "Tanggal: {dates}\nDiterbitkan oleh: {org}",
        "✅ <b>Genuine certificate</b>\n\nNo. {number}\nName: <b>{name}</b>\nTraining: {title}\n"
        "Dates: {dates}\nIssued by: {org}",
    ),
    "cert.name_erased": (
        "(dihapus atas permintaan pemiliknya)",
        "(erased at the holder's request)",
    ),
    "cert.unknown": (
        "❌ Sertifikat dengan kode ini tidak kami temukan. Mungkin kodenya salah atau "
        "sertifikatnya tidak asli. Hubungi {org} bila ragu.",
        "❌ We found no certificate with this code. The code may be wrong or the certificate "
        "not genuine. Contact {org} if in doubt.",
    ),
    "cert.filename": ("sertifikat-{code}-{seq}.pdf", "certificate-{code}-{seq}.pdf"),
    # ---- staff: the documents of a training ------------------------------------------------
    "docs.menu": (
        "📄 <b>Dokumen</b> — {title} ({code})\n\n"
        "Daftar hadir per hari, sertifikat, laporan kegiatan, grafik dan umpan balik.",
        "📄 <b>Documents</b> — {title} ({code})\n\n"
        "Attendance sheet per day, certificates, activity report, charts and feedback.",
    ),
    "docs.button.sheet": ("🖨 Daftar hadir hari {n}", "🖨 Attendance sheet day {n}"),
    "docs.button.certificates": ("🎓 Sertifikat (ZIP)", "🎓 Certificates (ZIP)"),
    "docs.button.report": ("📊 Laporan kegiatan (PDF + Excel)", "📊 Activity report (PDF + Excel)"),
    "docs.button.statistics": ("📈 Grafik", "📈 Charts"),
    "docs.button.feedback": ("💬 Ringkasan umpan balik", "💬 Feedback summary"),
    "docs.sheet.caption": (
        "Daftar hadir {code}, hari {n} ({date}): {count} peserta.",
        "Attendance sheet {code}, day {n} ({date}): {count} participants.",
    ),
    "docs.certificates.caption": (
        "🎓 {count} sertifikat {code} (yang hadir minimal {days} hari).",
        "🎓 {count} certificates for {code} (attended at least {days} days).",
    ),
    "docs.certificates.none": (
        "Belum ada peserta yang memenuhi syarat sertifikat (hadir minimal {days} hari).",
        "Nobody has earned a certificate yet (at least {days} days present).",
    ),
    "docs.report.caption": ("📊 Laporan kegiatan {code}.", "📊 Activity report {code}."),
    "docs.report.xlsx_caption": (
        "Angka yang sama dalam Excel.",
        "The same numbers in Excel.",
    ),
    "docs.working": ("⏳ Sedang dibuat…", "⏳ Working on it…"),
    "feedback.summary": (
        "💬 <b>Umpan balik</b> — {title} ({code})\n"
        "Menjawab: {answered} dari {invited} peserta yang hadir (selesai: {finished})\n\n"
        "{averages}\n\n<b>Topik berikutnya</b>\n{topics}\n\n<b>Yang paling membantu</b>\n{quotes}",
        "💬 <b>Feedback</b> — {title} ({code})\n"
        "Answered: {answered} of {invited} attendees (finished: {finished})\n\n"
        "{averages}\n\n<b>Topics next</b>\n{topics}\n\n<b>What helped most</b>\n{quotes}",
    ),
    "feedback.average": ("{label}: {stars} {value}/5", "{label}: {stars} {value}/5"),
    "feedback.no_average": ("{label}: -", "{label}: -"),
    "feedback.topic": ("• {label}: {count}", "• {label}: {count}"),
    "feedback.quote": ("• “{text}”", "• “{text}”"),
    "feedback.none": ("-", "-"),
    "stats.caption": (
        "📈 {title} ({code})\nTerdaftar {confirmed}/{capacity} · daftar tunggu {waiting} · batal "
        "{cancelled}",
        "📈 {title} ({code})\nConfirmed {confirmed}/{capacity} · waiting {waiting} · cancelled "
        "{cancelled}",
    ),
    # ---- staff: attendance by day and by name ----------------------------------------------
    "attendance.choose_day": (
        "Kehadiran <b>{title}</b>: pilih hari.",
        "Attendance of <b>{title}</b>: choose a day.",
    ),
    "attendance.search_hint": (
        "Cari nama atau kode tiket: /hadir {code} nama",
        "Search by name or ticket code: /checkin {code} name",
    ),
    "attendance.search_none": (
        "Tidak ada peserta bernama atau berkode tiket “{query}” di {code}.",
        "No participant with the name or ticket code “{query}” in {code}.",
    ),
    "attendance.searching": ("Pencarian: “{query}”", "Search: “{query}”"),
    "docs.button.day": ("Hari {n} · {date}", "Day {n} · {date}"),
    "staff.button.days": ("📅 Hari lain", "📅 Other days"),
    "staff.button.sheet_pdf": ("🖨 Daftar hadir (PDF)", "🖨 Attendance sheet (PDF)"),
}
