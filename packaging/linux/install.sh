#!/bin/sh
# Install Haven for the current user from the unpacked download (no administrator needed):
#
#   tar -xzf Haven-0.1.0-linux-x86_64.tar.gz && Haven-0.1.0-linux-x86_64/install.sh
#
# Copies the program to ~/.local/opt/haven, puts `clinic-app` in ~/.local/bin, and adds Haven
# to the applications menu (desktop file, icons, AppStream metadata under ~/.local/share).
# `install.sh --uninstall` removes those again; vaults and backups are never touched.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
PREFIX=$HOME/.local/opt/haven
BIN=$HOME/.local/bin
APP_ID=ca.haven.Haven

uninstall() {
    rm -rf "$PREFIX"
    rm -f "$BIN/clinic-app" "$DATA/applications/$APP_ID.desktop" "$DATA/metainfo/$APP_ID.metainfo.xml" \
          "$DATA/icons/hicolor/scalable/apps/$APP_ID.svg"
    for size in 16 24 32 48 64 128 256 512; do
        rm -f "$DATA/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
    done
}

if [ "${1:-}" = "--uninstall" ]; then
    uninstall
    echo "Haven was removed. Your vaults and backups were not touched."
    exit 0
fi

[ -x "$HERE/clinic-app/clinic-app" ] || { echo "install.sh: run it from the unpacked Haven folder" >&2; exit 1; }
"$HERE/clinic-app/clinic-app" --version >/dev/null || { echo "install.sh: Haven does not start on this computer" >&2; exit 1; }

uninstall
mkdir -p "$PREFIX" "$BIN" "$DATA/applications" "$DATA/metainfo"
cp -R "$HERE/clinic-app/." "$PREFIX/"
ln -sf "$PREFIX/clinic-app" "$BIN/clinic-app"

RES="$PREFIX/_internal/resources"
sed "s|^Exec=clinic-app|Exec=\"$PREFIX/clinic-app\"|" "$RES/linux/$APP_ID.desktop" > "$DATA/applications/$APP_ID.desktop"
cp "$RES/linux/$APP_ID.metainfo.xml" "$DATA/metainfo/"
mkdir -p "$DATA/icons/hicolor/scalable/apps"
cp "$RES/icons/haven.svg" "$DATA/icons/hicolor/scalable/apps/$APP_ID.svg"
for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "$DATA/icons/hicolor/${size}x${size}/apps"
    cp "$RES/icons/haven-$size.png" "$DATA/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$DATA/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true

echo "Haven $("$PREFIX/clinic-app" --version | sed 's/^Haven //') is installed."
echo "Open it from the applications menu, or type: clinic-app"
case ":$PATH:" in *":$BIN:"*) ;; *) echo "(Add $BIN to your PATH to type clinic-app in a terminal.)" ;; esac
