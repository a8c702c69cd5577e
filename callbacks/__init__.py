"""Callbacks: read filters, ask the data layer or the indicator engine, hand results to layouts."""
