import './styles.css';
document.body.dataset.pulse = 'ready';
