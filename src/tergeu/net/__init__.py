"""Network traffic analysis: capture reading, bidirectional flows, application hints and detections.

The pipeline is columnar from the first byte: a capture is walked once by compiled code
(:mod:`tergeu.net.pcap`), packets become numpy columns, flows are aggregated from those columns
(:mod:`tergeu.net.flows`), and detectors (:mod:`tergeu.net.detect`) read only the flow table and
the hints, never the raw bytes.
"""
