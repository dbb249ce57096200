"""Client reports as PDF: the document (``report_pdf``), its chart (``report_chart``), the
dialog behind File › Client report… (``report_dialog``), and the headless entry point the
``codaiq-desktop report`` command uses (``report_runner``)."""
