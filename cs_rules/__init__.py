"""cs-rules: month-end attendance, fines, conduct score and payroll for customer-service departments."""

__version__ = "0.1.0"
