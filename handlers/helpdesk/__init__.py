"""Between participants and staff: a participant's message outside a step goes to the staff
group, and a staff member's reply there goes back (`relay`)."""
