#!/usr/bin/env bash
# Publishes the column on a plain web server with rsync, written by `chronique init --publish rsync`.
#
# It builds the site (site.toml's base_url must be the server's address), then makes the server's
# folder a copy of public/: files that are no longer in the site are deleted there (--delete), so
# DESTINATION must be a folder that holds the site and nothing else.
#
# A static site only changes when it is built: posts dated in the future (scheduled) go live at
# the first build after their date. Run this script every day, for instance from cron on a
# machine that has the column (`crontab -e`; cron counts in the machine's time zone):
#     0 6 * * *  cd /path/to/the/column && ./publier.sh >> publier.log 2>&1
set -euo pipefail

# Where the site goes: user@host:/folder/ (edit this line, or set DESTINATION when running it).
DESTINATION="${DESTINATION:-user@host:/var/www/ma-chronique/}"

if [ -z "$DESTINATION" ] || [[ "$DESTINATION" == user@host:* ]]; then
  echo "publier.sh: set DESTINATION first, in this script or when running it (DESTINATION=moi@serveur.fr:/var/www/chronique/ ./publier.sh): it is still the placeholder \"$DESTINATION\"" >&2
  exit 1
fi

cd "$(dirname "$0")"
chronique build
rsync -av --delete public/ "$DESTINATION"
