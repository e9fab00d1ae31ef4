"""Streamlit helpers shared by the pages (state, caching); the only UI code outside pages/."""
