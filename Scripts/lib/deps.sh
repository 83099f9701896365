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
BUILD_PACKAGES=(pkg-config libsodium-dev libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libexif-dev libheif-dev libsqlite3-dev zlib1g-dev tzdata)
# Reference tools the tests compare against (exiftool, ffprobe) and use to make their fixtures at test time
# (ffmpeg, exiftool and heif-enc, through Scripts/lib/make-media.sh).
# xmllint checks the reports' SVG; chromium and its driver open reports in a real browser (through selenium).
TEST_PACKAGES=(ffmpeg libimage-exiftool-perl libheif-examples libxml2-utils chromium chromium-driver python3-venv)

# Python packages the tests use as oracles and drivers, in a virtual environment under .build (never the system's).
# Usage: ensure_python_packages pkg==version…; puts the venv's bin first on PATH.
ensure_python_packages() {
    local venv=".build/python"
    [ -x "$venv/bin/python3" ] || python3 -m venv "$venv" >&2
    local missing=()
    local p
    for p in "$@"; do
        "$venv/bin/python3" -m pip show "${p%%==*}" >/dev/null 2>&1 || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "Installing missing Python packages: ${missing[*]}" >&2
        "$venv/bin/python3" -m pip install -q "${missing[@]}" >&2
    fi
    export PATH="$PWD/$venv/bin:$PATH"
}
PYTHON_TEST_PACKAGES=(selenium krippendorff numpy cryptography pympi-ling)
