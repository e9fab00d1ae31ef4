"""Plotly figures, one module per area; every function returns a `go.Figure`.

Charts take frames computed by the logic modules and a `lang` ("en" | "zh") for labels.
"""
