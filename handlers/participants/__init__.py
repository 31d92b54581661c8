"""What participants use: the registration (its entry points, questions and draft), /saya and
their calendar, fixing their details, /hapusdata and "Data saya", the reminders' answers, the
feedback survey and the certificates (a certificate's public check is here too)."""
