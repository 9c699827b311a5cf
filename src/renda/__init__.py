"""Renda 智慧人大: the work platform of a people's congress and its standing committee."""
