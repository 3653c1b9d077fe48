#!/bin/sh
# Sauvegarde de la base benkan avec rotation (README « Sauvegardes ») :
#   quotidiennes/benkan-AAAA-MM-JJ.db  les 14 dernières (une par jour) ;
#   mensuelles/benkan-AAAA-MM.db       la première de chaque mois, les 12 derniers mois.
# Lancé chaque jour par benkan-sauvegarde.timer ; réglages par variables d'environnement.
# Une sauvegarde qui échoue arrête le script (statut non nul) avant tout élagage : on ne
# supprime jamais d'anciennes sauvegardes sans en avoir une nouvelle, vérifiée.
set -eu
# Les noms contiennent la date ISO : triés en ordre C, ils sont dans l'ordre des dates.
LC_ALL=C
export LC_ALL

BENKAN=${BENKAN:-/usr/local/bin/benkan}
BENKAN_DB=${BENKAN_DB:-/var/lib/benkan/benkan.db}
DOSSIER=${BENKAN_SAUVEGARDES:-/var/lib/benkan/sauvegardes}
GARDER_JOURS=${BENKAN_GARDER_JOURS:-14}
GARDER_MOIS=${BENKAN_GARDER_MOIS:-12}

quotidiennes=$DOSSIER/quotidiennes
mensuelles=$DOSSIER/mensuelles
mkdir -p "$quotidiennes" "$mensuelles"
# Lancé à la main depuis un dossier que l'utilisateur benkan ne peut pas lire (/root, avec
# runuser), find échouerait à y revenir : on travaille depuis le dossier des sauvegardes.
cd "$DOSSIER"

jour=$(date -u +%Y-%m-%d)
mois=$(date -u +%Y-%m)
quotidienne=$quotidiennes/benkan-$jour.db
mensuelle=$mensuelles/benkan-$mois.db

# benkan refuse de remplacer un fichier : relancé le même jour, le script garde la
# sauvegarde déjà faite.
if [ -e "$quotidienne" ]; then
    echo "La sauvegarde du jour existe déjà : $quotidienne"
else
    "$BENKAN" sauvegarde --db "$BENKAN_DB" --out "$quotidienne"
fi

# La première sauvegarde du mois devient la mensuelle : un lien dur (aucune place de plus),
# ou une copie sous un nom provisoire puis renommée si le lien est impossible.
if [ ! -e "$mensuelle" ]; then
    if ! ln "$quotidienne" "$mensuelle" 2>/dev/null; then
        cp "$quotidienne" "$mensuelle.partielle"
        mv "$mensuelle.partielle" "$mensuelle"
    fi
    echo "Sauvegarde mensuelle : $mensuelle"
fi

# Garde les $2 fichiers benkan-*.db les plus récents du dossier $1.
elaguer() {
    garder=$2
    set -- "$1"/benkan-*.db
    [ -e "$1" ] || return 0
    reste=$#
    for fichier in "$@"; do
        [ "$reste" -le "$garder" ] && break
        rm -f -- "$fichier"
        echo "Retirée : $fichier"
        reste=$((reste - 1))
    done
}
elaguer "$quotidiennes" "$GARDER_JOURS"
elaguer "$mensuelles" "$GARDER_MOIS"

# Restes d'une sauvegarde tuée en cours de route (coupure, kill -9) : jamais sous un nom
# final, effacés au bout d'un jour.
find "$DOSSIER" -name '.benkan-sauvegarde-*.en-cours*' -type f -mtime +0 -exec rm -f -- {} +
