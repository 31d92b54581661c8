"""What staff use, in private chats only, each behind the one guard (`auth.requires`): the staff
menu and a training's page (`menu`), creating and editing a training (`trainings`), a training
file sent as a document (`training_file`), the share kit (`share`), the roles (`roles`),
attendance (the scan of a participant's ticket and /hadir), announcements and the documents.
`common` is what these share."""
