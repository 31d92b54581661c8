"""Texts of the business baseline (asked at registration) and the follow-ups months after the
training: key -> (Indonesian, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    # In the consent question, when the baseline is asked.
    "reg.consent.baseline": (
        "\n\nDinas juga memantau perkembangan usaha setelah pelatihan. Karena itu kami "
        "menanyakan <b>kisaran omzet per bulan</b> (pilihan rentang, bukan angka pasti), "
        "<b>jumlah pekerja</b>, dan apakah usaha <b>berjualan online</b>; beberapa bulan "
        "setelah pelatihan kami menanyakannya lagi lewat chat ini. Jawaban ini hanya dipakai "
        "untuk laporan dinas.",
        "\n\nThe office also follows how businesses do after the training. So we ask the "
        "<b>range of monthly sales</b> (a band, never an exact figure), the <b>number of "
        "workers</b> and whether the business <b>sells online</b>; a few months after the "
        "training we ask again in this chat. The answers are used only for the office's "
        "reports.",
    ),
    # The baseline's questions.
    "base.ask.sales": (
        "<b>Tentang usaha (1/3)</b>\nBerapa kira-kira <b>omzet (penjualan) per bulan</b>?",
        "<b>About the business (1/3)</b>\nRoughly how much are the <b>monthly sales</b>?",
    ),
    "base.sales.lt5": ("< Rp 5 juta", "< Rp 5 million"),
    "base.sales.5_15": ("Rp 5–15 juta", "Rp 5–15 million"),
    "base.sales.15_50": ("Rp 15–50 juta", "Rp 15–50 million"),
    "base.sales.50_100": ("Rp 50–100 juta", "Rp 50–100 million"),
    "base.sales.gt100": ("> Rp 100 juta", "> Rp 100 million"),
    "base.ask.workers": (
        "<b>Tentang usaha (2/3)</b>\nBerapa <b>orang yang bekerja</b> di usaha ini, "
        "<b>termasuk pemilik</b>? Ketik angkanya, misalnya 3.",
        "<b>About the business (2/3)</b>\nHow many <b>people work</b> in the business, "
        "<b>the owner included</b>? Type the number, for example 3.",
    ),
    "base.bad.workers": (
        "Mohon ketik angka saja (1 sampai 9999), misalnya 3.",
        "Please type a number only (1 to 9999), for example 3.",
    ),
    "base.ask.online": (
        "<b>Tentang usaha (3/3)</b>\nApakah usaha ini <b>berjualan online</b> (marketplace, "
        "media sosial, WhatsApp)?",
        "<b>About the business (3/3)</b>\nDoes the business <b>sell online</b> (marketplaces, "
        "social media, WhatsApp)?",
    ),
    "base.yes": ("Ya", "Yes"),
    "base.no": ("Tidak", "No"),
    "base.summary": (
        "\nOmzet per bulan: {sales}\nPekerja: {workers}\nJualan online: {online}",
        "\nMonthly sales: {sales}\nWorkers: {workers}\nSells online: {online}",
    ),
}
