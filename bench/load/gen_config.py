#!/usr/bin/env python3
"""Writes the load-test server configuration and the operators CSV for N operators.

Usage: gen_config.py N CONFIG_JSON OPERATORS_CSV UAS_PORT
Every operator opNNNN registers with its own password; all Contacts point at the
one echo UAS on UAS_PORT, which answers for every operator.
"""
import json
import sys


def main() -> int:
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    count = int(sys.argv[1])
    config_path, csv_path, uas_port = sys.argv[2], sys.argv[3], int(sys.argv[4])
    if not 1 <= count <= 9999:
        print("N must be 1..9999", file=sys.stderr)
        return 2
    operators = []
    lines = ["SEQUENTIAL"]
    for i in range(1, count + 1):
        user = f"op{i:04d}"
        # Distinct per account so that a registrar mixing up credentials fails visibly.
        password = f"pw-{user}-{(i * 7919) % 100000:05d}"
        operators.append({
            "Username": user,
            "Password": password,
            "DisplayName": f"Bench operator {i}",
            "Queues": ["police"],
        })
        lines.append(f"{user};[authentication username={user} password={password}];{uas_port}")
    config = {
        "Logging": {"LogLevel": {"Default": "Warning", "Microsoft": "Warning",
                                 "Microsoft.Hosting.Lifetime": "Information"}},
        # SIPp 3.6.1 answers only the first challenge and only with MD5: offer MD5 alone
        "Intake": {"DataDirectory": "./data", "DrainSeconds": 5, "AvailableOnRegister": True,
                   "MaxConcurrentCalls": 0, "DigestAlgorithms": ["MD5"], "PromptLanguage": "en"},
        "Sip": {"BindAddress": "127.0.0.1", "Port": 5960, "UserAgent": "Intake-bench"},
        "Rtp": {"PortMin": 40000, "PortMax": 59999, "InactivitySeconds": 30},
        "Grpc": {"BindAddress": "127.0.0.1", "Port": 5951},
        "Metrics": {"BindAddress": "127.0.0.1", "Port": 5952},
        # every caller and every operator sends from 127.0.0.1: the per-source buckets must
        # not be what limits a load test
        "Security": {"RegisterPerSecond": 100000, "RegisterBurst": 100000, "OptionsPerSecond": 100000,
                     "OptionsBurst": 100000, "OtherPerSecond": 100000, "OtherBurst": 100000},
        "Trunks": [{"Name": "bench-callers", "Sources": ["127.0.0.1"]}],
        "Queues": [{
            "Name": "police",
            "Numbers": ["19"],
            "Priority": 10,
            "RingTimeoutSeconds": 10,
            "WrapUpSeconds": 0,
            "MaxWaitSeconds": 3600,
            "Strategy": "LongestIdle",
        }],
        "Operators": operators,
    }
    with open(config_path, "w", encoding="ascii") as f:
        json.dump(config, f, indent=1)
        f.write("\n")
    with open(csv_path, "w", encoding="ascii") as f:
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
