"""Accounts: roles (administrator, planner, leader, provider) and the checks that enforce them."""
