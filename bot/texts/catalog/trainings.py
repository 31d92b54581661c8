"""Texts of writing a training (its rules): key -> (Indonesian, English). No markup: the
command line prints them as plain text."""

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
}
