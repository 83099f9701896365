# Shared by Scripts/demo, Scripts/test and Scripts/bench: install what is missing, nothing else.
# Usage: source Scripts/lib/deps.sh; ensure_packages pkg…
ensure_packages() {
    local missing=()
    local p
    for p in "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing missing system packages: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# The C libraries the product links, plus what SwiftPM needs to find them.
BUILD_PACKAGES=(pkg-config libsodium-dev libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libexif-dev libheif-dev libsqlite3-dev tzdata)
# Reference tools the tests compare against (exiftool, ffprobe) and use to make their fixtures at test time
# (ffmpeg, exiftool and heif-enc, through Scripts/lib/make-media.sh).
TEST_PACKAGES=(ffmpeg libimage-exiftool-perl libheif-examples)
