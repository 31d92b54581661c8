"""Texts shared by every feature: welcome, menu, help, language, errors, command lists."""

TEXTS: dict[str, tuple[str, str]] = {
    "welcome": (
        "Halo, {name}! 👋\n"
        "Ini bot pelatihan {org}. {free}\n"
        "Di sini Anda bisa ikut pelatihan, melihat jadwal, dan mendapat pengingat sehari "
        "sebelum pelatihan.\n\n"
        "{office}\n\n"
        "Silakan pilih menu di bawah.",
        "Hello, {name}! 👋\n"
        "This is the training bot of {org}. {free}\n"
        "Here you can join a training, see its schedule, and get a reminder the day before.\n\n"
        "{office}\n\n"
        "Please choose from the menu below.",
    ),
    "menu.register": ("📝 Ikut pelatihan", "📝 Join a training"),
    "menu.my": ("📋 Pelatihan saya", "📋 My trainings"),
    "menu.help": ("❓ Bantuan", "❓ Help"),
    "menu.language": ("🌐 Bahasa / Language", "🌐 Language / Bahasa"),
    "menu.home": ("🏠 Menu", "🏠 Menu"),
    "help": (
        "<b>Bantuan</b>\n"
        "/daftar — ikut pelatihan\n"
        "/pelatihan — lihat pelatihan yang dibuka\n"
        "/saya — pelatihan saya: jadwal, kalender, tiket hadir, batal ikut\n"
        "/datasaya — lihat data saya yang tersimpan\n"
        "/hapusdata — hapus data pribadi saya\n"
        "/bahasa — ganti bahasa\n"
        "/batal — berhenti mengisi (untuk batal ikut pelatihan: /saya)\n\n"
        "{office}",
        "<b>Help</b>\n"
        "/register — join a training\n"
        "/trainings — see open trainings\n"
        "/my — my trainings: schedule, calendar, check-in ticket, cancel my place\n"
        "/mydata — see the data stored about me\n"
        "/deletedata — delete my personal data\n"
        "/language — change language\n"
        "/cancel — stop filling in (to give up a place in a training: /my)\n\n"
        "{office}",
    ),
    "language.choose": ("Pilih bahasa:", "Choose a language:"),
    "language.set": (
        "Bahasa diganti ke Bahasa Indonesia.",
        "Language set to English.",
    ),
    "language.name.id": ("🇮🇩 Bahasa Indonesia", "🇮🇩 Bahasa Indonesia"),
    "language.name.en": ("🇬🇧 English", "🇬🇧 English"),
    "error.generic": (
        "Maaf, ada gangguan. Silakan coba lagi sebentar lagi. Data Anda tetap aman.",
        "Sorry, something went wrong. Please try again in a moment. Your data is safe.",
    ),
    "error.stale_button": (
        "Tombol ini sudah tidak berlaku. Silakan buka menu lagi dengan /start.",
        "This button is no longer valid. Please open the menu again with /start.",
    ),
    "error.unknown_command": (
        "Perintah tidak dikenal. Ketik /bantuan untuk daftar perintah.",
        "Unknown command. Type /help for the list of commands.",
    ),
    "error.unsupported_message": (
        "Maaf, saya belum bisa membaca pesan seperti itu. Ketik /start untuk membuka menu.",
        "Sorry, I can't read that kind of message. Type /start to open the menu.",
    ),
    "error.not_staff": (
        "Perintah ini tidak tersedia.",
        "This command is not available.",
    ),
    # In a group chat the bot shows nothing personal and points to a private chat instead.
    "private_only": (
        "Saya hanya melayani lewat chat pribadi, agar data Anda tidak terlihat di grup. "
        "Ketuk tombol di bawah untuk membuka chat dengan saya.",
        "I only help in a private chat, so that your data is not shown in the group. "
        "Tap the button below to open a chat with me.",
    ),
    "private_only.button": ("💬 Buka chat pribadi", "💬 Open a private chat"),
    "private_only.alert": (
        "Tombol ini hanya berfungsi di chat pribadi dengan bot.",
        "This button only works in a private chat with the bot.",
    ),
    # One account sending more than the bot takes in a short time: said at most once a minute.
    "slow_down": (
        "Anda mengirim terlalu banyak pesan sekaligus. Mohon tunggu sebentar, lalu coba lagi.",
        "You are sending too many messages at once. Please wait a moment, then try again.",
    ),
    "stopped": (
        "Anda berhenti mengisi; tidak ada yang dikirim. Ketik /start untuk membuka menu.",
        "You stopped filling in; nothing was sent. Type /start to open the menu.",
    ),
    "nothing_to_stop": (
        "Tidak ada yang sedang Anda isi. Untuk batal ikut pelatihan, buka /saya. "
        "Ketik /start untuk membuka menu.",
        "You are not filling anything in. To give up your place in a training, open /my. "
        "Type /start to open the menu.",
    ),
    # A date and a time of day, everywhere ("3 Desember 2026 pukul 08.00 WIB").
    "moment": ("{date} pukul {time}", "{date} at {time}"),
    # Command descriptions registered with Telegram (setMyCommands).
    "cmd.start": ("Menu utama", "Main menu"),
    "cmd.daftar": ("Ikut pelatihan", "Join a training"),
    "cmd.pelatihan": ("Pelatihan yang dibuka", "Open trainings"),
    "cmd.saya": ("Pelatihan saya", "My trainings"),
    "cmd.batal": ("Berhenti mengisi", "Stop filling in"),
    "cmd.bantuan": ("Bantuan", "Help"),
    "cmd.bahasa": ("Ganti bahasa", "Change language"),
    "cmd.hapusdata": ("Hapus data pribadi saya", "Delete my personal data"),
}
