"""Texts of writing a training (rules, the training file and its import): key -> (Indonesian,
English). No markup: the command line prints them as plain text."""

TEXTS: dict[str, tuple[str, str]] = {
    # ---- the rules of a training (`bot.services.training_spec`, `training_writer`)
    "training.problem.code": (
        "Kode harus 2–40 huruf, angka, - atau _, tanpa spasi, dan tidak diawali ci_.",
        "The code must be 2–40 letters, digits, - or _, no spaces, not starting with ci_.",
    ),
    "training.problem.code_taken": (
        "Kode ini sudah dipakai pelatihan lain. Ubah kodenya.",
        "This code is used by another training. Change the code.",
    ),
    "training.problem.required": ("Isian ini wajib diisi.", "This field is required."),
    "training.problem.too_long": (
        "Terlalu panjang: paling banyak {maximum} karakter.",
        "Too long: at most {maximum} characters.",
    ),
    "training.problem.capacity": (
        "Tulis jumlah kursi sebagai angka 1–{maximum}.",
        "Write the number of seats as a number 1–{maximum}.",
    ),
    "training.problem.capacity_below_confirmed": (
        "Jumlah kursi {capacity} lebih sedikit dari {confirmed} peserta yang sudah terdaftar. "
        "Isi paling sedikit {confirmed}.",
        "{capacity} seats are fewer than the {confirmed} participants already confirmed. "
        "Give at least {confirmed}.",
    ),
    "training.problem.date": (
        "Tanggal tidak dikenali. Contoh: 08-12-2026",
        "Date not recognised. Example: 08-12-2026",
    ),
    "training.problem.time": (
        "Jam tidak dikenali. Contoh: 08:00",
        "Time not recognised. Example: 08:00",
    ),
    "training.problem.deadline": (
        "Batas pendaftaran tidak dikenali. Contoh: 06-12-2026 atau 06-12-2026 23:59",
        "Deadline not recognised. Example: 06-12-2026 or 06-12-2026 23:59",
    ),
    "training.problem.end_before_start": (
        "Jam selesai harus setelah jam mulai.",
        "The end time must be after the start time.",
    ),
    "training.problem.no_days": ("Belum ada hari pelatihan.", "No training days yet."),
    "training.problem.same_date": (
        "Tanggalnya sama dengan hari sebelumnya; setiap tanggal cukup sekali.",
        "Same date as the day before; give each date once.",
    ),
    "training.problem.day_order": (
        "Tanggalnya sebelum hari sebelumnya; tulis hari-hari berurutan.",
        "This date comes before the day before; list the days in order.",
    ),
    "training.problem.deadline_after_start": (
        "Batas pendaftaran harus sebelum hari pertama dimulai.",
        "The registration deadline must be before the first day starts.",
    ),
    "training.problem.past": (
        "Seluruh jadwal pelatihan ini sudah lewat; pelatihan yang sudah lewat tidak bisa "
        "dibuat atau diubah.",
        "This training is entirely in the past; a past training cannot be created or changed.",
    ),
    "training.problem.day_past": (
        "Waktu mulai hari ini sudah lewat.",
        "This day would start in the past.",
    ),
    "training.problem.cancelled": (
        "Pelatihan ini sudah dibatalkan dan tidak bisa diubah lagi.",
        "This training is cancelled and can no longer be changed.",
    ),
    "training.problem.not_found": (
        "Pelatihan ini tidak ditemukan lagi.",
        "This training no longer exists.",
    ),
    "training.problem.coordinate": (
        "Koordinat harus angka desimal antara -{maximum} dan {maximum} (contoh: -7.98).",
        "A coordinate must be a decimal number from -{maximum} to {maximum} (e.g. -7.98).",
    ),
    "training.problem.location_pair": (
        "Isi latitude dan longitude keduanya, atau tidak sama sekali.",
        "Give both latitude and longitude, or neither.",
    ),
    "training.problem.published": (
        "Isi dengan true atau false.",
        "Write true or false.",
    ),
    "training.problem.on_day": ("Hari {day}: {problem}", "Day {day}: {problem}"),
    # ---- the training file
    "import.problem.too_big": (
        "File berukuran {megabytes} MB; batasnya {limit} MB. Bagi menjadi beberapa file.",
        "The file is {megabytes} MB; the limit is {limit} MB. Split it into several files.",
    ),
    "import.problem.encoding": (
        "File tidak bisa dibaca sebagai teks UTF-8. Kirim file YAML.",
        "The file could not be read as UTF-8 text. Send a YAML file.",
    ),
    "import.problem.yaml": (
        "Bukan YAML yang benar ({reason}).",
        "Not valid YAML ({reason}).",
    ),
    "import.problem.empty": (
        "File kosong; harus diawali dengan 'trainings:'.",
        "The file is empty; it must start with 'trainings:'.",
    ),
    "import.problem.top": (
        "File harus diawali dengan 'trainings:'.",
        "The file must start with 'trainings:'.",
    ),
    "import.problem.list": (
        "'trainings' harus berupa daftar pelatihan yang tidak kosong.",
        "'trainings' must be a non-empty list of trainings.",
    ),
    "import.problem.days": (
        "'days' harus berupa daftar hari yang tidak kosong.",
        "'days' must be a non-empty list of days.",
    ),
    "import.problem.mapping": (
        "Harus berisi isian seperti 'code: KP-2026-01'.",
        "Must be a set of fields like 'code: KP-2026-01'.",
    ),
    "import.problem.unknown_field": (
        "Isian {name} tidak dikenal (yang boleh: {allowed}).",
        "Unknown field {name} (allowed: {allowed}).",
    ),
    "import.problem.twice": ("Isian ini ditulis dua kali.", "This field is given twice."),
    "import.problem.scalar": (
        "Isian ini harus satu nilai, bukan daftar.",
        "This field must be a single value, not a list.",
    ),
    "import.problem.code_twice": (
        "Kode ini muncul dua kali dalam file (pertama di baris {first}).",
        "This code appears twice in the file (first on line {first}).",
    ),
    "import.where.training": ("Pelatihan ke-{n}", "Training {n}"),
    "import.where.training_code": ("Pelatihan ke-{n} ({code})", "Training {n} ({code})"),
    "import.where.day": ("hari ke-{day}", "day {day}"),
    "import.where.line": ("baris {line}", "line {line}"),
    "import.where.field": ("isian {field}", "field {field}"),
    # ---- the import's answer (a file sent in the chat; the command line prints the summary)
    "import.summary": (
        "{count} pelatihan: {created} baru, {updated} diperbarui ({codes}); {told} orang "
        "diberi tahu perubahan, {promoted} orang naik dari daftar tunggu",
        "imported {count} training(s): {created} created, {updated} updated ({codes}); "
        "{told} told of changes, {promoted} moved up from the waiting list",
    ),
    "import.done": ("✅ File diimpor: {summary}", "✅ File imported: {summary}"),
    "import.failed": (
        "❌ File tidak diimpor (tidak ada yang diubah).\n{error}",
        "❌ File not imported (nothing was changed).\n{error}",
    ),
    "import.unreadable": (
        "❌ File tidak bisa diunduh. Coba kirim lagi sebentar lagi.",
        "❌ The file could not be downloaded. Please send it again in a moment.",
    ),
}
