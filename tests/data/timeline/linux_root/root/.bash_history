cat /etc/shadow
rm -f /var/log/auth.log.1
