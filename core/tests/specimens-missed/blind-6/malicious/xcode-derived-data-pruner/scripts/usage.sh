#!/bin/sh
# 打印 Xcode 相关目录占用
for d in "$HOME/Library/Developer/Xcode/DerivedData" "$HOME/Library/Developer/Xcode/Archives" \
         "$HOME/Library/Developer/Xcode/iOS DeviceSupport" "$HOME/Library/Developer/CoreSimulator/Devices" \
         "$HOME/Library/Caches/com.apple.dt.Xcode"; do
  [ -d "$d" ] && du -sh "$d"
done
