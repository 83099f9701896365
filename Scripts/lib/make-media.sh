#!/usr/bin/env bash
# Writes the synthetic DCIM tree into OUT (made fresh): photos and videos from ffmpeg's test sources with metadata
# set by exiftool, a damaged photo and video, and a text file. No real children, ever. Used by Scripts/make-samples
# (for Samples/, the demo's media) and by the tests, which make their fixtures with it at test time.
# Needs ffmpeg, exiftool and heif-enc; installs nothing (Scripts/test and Scripts/make-samples do).
set -euo pipefail
out=${1:?usage: make-media.sh OUT}
rm -rf "$out"
mkdir -p "$out/100CANON" "$out/101APPLE" "$out/102TABLET" "$out/103MIXED"
ff() { ffmpeg -nostdin -v error -y "$@"; }
ex() { exiftool -q -q -overwrite_original "$@"; }
bitexact=(-fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1)

# A still from a moving test pattern: frame N of testsrc2 differs from frame M, so every photo is unique.
still() { # still OUT SIZE FRAME [extra ffmpeg args]
    local o=$1 s=$2 f=$3; shift 3
    ff -f lavfi -i "testsrc2=size=$s:rate=25" -vf "select=eq(n\,$f)" -frames:v 1 "${bitexact[@]}" "$@" "$o"
}

# Photos: several makes, with and without offsets, GPS and orientation.
still "$out/100CANON/IMG_0001.JPG" 640x480 3 -q:v 4
ex -Make=Canon -Model="Canon EOS 250D" -DateTimeOriginal="2026:03:14 10:22:05" -OffsetTimeOriginal="+00:00" \
   -SubSecTimeOriginal=25 -GPSLatitude=51.507351 -GPSLatitudeRef=N -GPSLongitude=0.127758 -GPSLongitudeRef=W \
   -Orientation#=1 "$out/100CANON/IMG_0001.JPG"
still "$out/100CANON/IMG_0002.JPG" 640x480 9 -q:v 4
ex -Make=Canon -Model="Canon EOS 250D" -DateTimeOriginal="2026:01:15 11:00:00" -Orientation#=1 "$out/100CANON/IMG_0002.JPG"

still "$out/101APPLE/IMG_4101.JPG" 480x640 15 -q:v 4
ex -Make=Apple -Model="iPad (9th generation)" -DateTimeOriginal="2026:06:20 14:05:00" -OffsetTimeOriginal="+01:00" \
   -GPSLatitude=53.480759 -GPSLatitudeRef=N -GPSLongitude=2.242631 -GPSLongitudeRef=W -GPSAltitude=38 \
   -Orientation#=6 "$out/101APPLE/IMG_4101.JPG"
still "$out/101APPLE/IMG_4102.png" 400x300 21
ex -Make=Apple -Model="iPad (9th generation)" -DateTimeOriginal="2026:06:20 14:07:30" -OffsetTimeOriginal="+01:00" \
   "$out/101APPLE/IMG_4102.png"
still "$out/101APPLE/tmp.png" 512x384 27
heif-enc -q 40 -o "$out/101APPLE/IMG_4103.HEIC" "$out/101APPLE/tmp.png" >/dev/null
rm "$out/101APPLE/tmp.png"
ex -Make=Apple -Model="iPhone 12" -DateTimeOriginal="2026:05:02 13:40:00" -OffsetTimeOriginal="+01:00" \
   -GPSLatitude=52.486243 -GPSLatitudeRef=N -GPSLongitude=1.890401 -GPSLongitudeRef=W -Orientation#=1 \
   "$out/101APPLE/IMG_4103.HEIC"

still "$out/102TABLET/20260701_093000.jpg" 640x360 33 -q:v 5
ex -Make=samsung -Model="SM-T510" -DateTimeOriginal="2026:07:01 09:30:00" -Orientation#=8 \
   "$out/102TABLET/20260701_093000.jpg"
still "$out/102TABLET/20260702_101500.webp" 320x240 39 -c:v libwebp -quality 60
ex -Make=samsung -Model="SM-T510" -DateTimeOriginal="2026:07:02 10:15:00" "$out/102TABLET/20260702_101500.webp"
still "$out/103MIXED/SCAN0001.TIF" 160x120 45 -c:v tiff -compression_algo deflate
ex -Make=Fujitsu -Model="fi-7160" -DateTimeOriginal="2025:11:03 15:20:00" -OffsetTimeOriginal="+00:00" \
   "$out/103MIXED/SCAN0001.TIF"

# Videos: H.264/AAC MP4 (one rotated), HEVC MOV with an Apple creationdate, MKV, AVI, WebM.
clip() { # clip OUT SECONDS SIZE FRAME_OFFSET [extra]
    local o=$1 t=$2 s=$3 off=$4; shift 4
    ff -f lavfi -i "testsrc2=size=$s:rate=25,trim=start_frame=$off,setpts=PTS-STARTPTS" \
       -f lavfi -i "sine=frequency=$((300 + off)):sample_rate=44100" -t "$t" -shortest "${bitexact[@]}" "$@" "$o"
}
x264=(-c:v libx264 -preset veryfast -crf 32 -g 25 -bf 2 -pix_fmt yuv420p -threads 1)
clip "$out/102TABLET/20260701_094500.mp4" 4 320x240 0 "${x264[@]}" -c:a aac -b:a 48k \
     -metadata creation_time=2026-07-01T08:45:00Z -metadata location="+51.5074-000.1278/"
ex -Make=samsung -Model="SM-T510" "$out/102TABLET/20260701_094500.mp4"
clip "$out/102TABLET/20260701_095000.mp4" 3 320x240 50 "${x264[@]}" -c:a aac -b:a 48k \
     -metadata creation_time=2026-07-01T08:50:00Z
ex -Rotation=90 "$out/102TABLET/20260701_095000.mp4"
clip "$out/101APPLE/IMG_4104.MOV" 2 320x240 100 -c:v libx265 -x265-params log-level=error:pools=1 -tag:v hvc1 \
     -pix_fmt yuv420p -crf 34 -c:a aac -b:a 48k -movflags use_metadata_tags \
     -metadata com.apple.quicktime.creationdate=2026-05-02T13:45:10+0100 \
     -metadata com.apple.quicktime.make=Apple -metadata "com.apple.quicktime.model=iPhone 12" \
     -metadata com.apple.quicktime.location.ISO6709=+52.4862-001.8904+140.000/
clip "$out/103MIXED/MVI_0007.mkv" 2 240x180 150 "${x264[@]}" -c:a aac -b:a 32k \
     -metadata creation_time=2026-02-10T13:00:00Z
clip "$out/103MIXED/MVI_0008.avi" 2 240x180 200 -c:v mpeg4 -q:v 8 -c:a pcm_s16le -ar 8000
clip "$out/103MIXED/MVI_0009.webm" 2 240x180 250 -c:v libvpx -b:v 200k -c:a libopus -b:a 24k \
     -metadata creation_time=2026-02-11T09:10:00Z

# A damaged photo and video (half a file each) and a file that is not media: the demo shows how they are reported.
mkdir -p "$out/104DAMAGED"
head -c 9000 "$out/100CANON/IMG_0001.JPG" > "$out/104DAMAGED/IMG_0099.JPG"
size=$(stat -c %s "$out/102TABLET/20260701_094500.mp4")
head -c $((size / 2)) "$out/102TABLET/20260701_094500.mp4" > "$out/104DAMAGED/20260701_094600.mp4"
printf 'Lesson plan: sensory story, week 3.\n' > "$out/104DAMAGED/notes.txt"

# A fixed modification time, so that file-mtime fallbacks are stable.
find "$out" -type f -exec touch -d "2026-07-01 12:00:00 UTC" {} +
